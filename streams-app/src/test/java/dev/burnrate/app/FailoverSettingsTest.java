package dev.burnrate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The instance id kept in the state dir (static membership) and the local state removed after an unclean stop. */
class FailoverSettingsTest {
    @TempDir
    Path dir;

    private Properties props(Path stateDir, Map<String, String> more) {
        Properties p = Application.streamsProperties(AppConfig.ofMap(Map.of("application.id", "app", "state.dir", stateDir.toString())));
        p.putAll(more);
        return p;
    }

    private String instanceId(Path stateDir, Map<String, String> more) {
        Properties p = props(stateDir, more);
        InstanceIdentity.apply(p);
        return p.getProperty("group.instance.id");
    }

    @Test
    void theSameStateDirIsTheSameMemberAndAnotherIsAnother() {
        String first = instanceId(dir.resolve("a"), Map.of());
        assertTrue(first.startsWith("app-"), first);
        assertEquals(first, instanceId(dir.resolve("a"), Map.of()), "a restart with the same state dir");
        assertNotEquals(first, instanceId(dir.resolve("b"), Map.of()), "another instance");
        assertEquals("pinned", instanceId(dir.resolve("c"), Map.of("group.instance.id", "pinned")));
        assertEquals(null, instanceId(dir.resolve("d"), Map.of("group.protocol", "streams")), "the streams protocol has no static membership");
    }

    @Test
    void failoverDefaultsAreSetAndConfigurable() {
        Properties p = props(dir, Map.of());
        assertEquals("6000", p.getProperty("session.timeout.ms"));
        assertEquals("1", p.getProperty("num.standby.replicas"));
        Properties own = Application.streamsProperties(AppConfig.ofMap(Map.of("session.timeout.ms", "20000", "num.standby.replicas", "0")));
        assertEquals("20000", own.getProperty("session.timeout.ms"));
        assertEquals("0", own.getProperty("num.standby.replicas"));
    }

    @Test
    void afterAnUncleanStopTheTaskStateIsRemovedAndTheProcessMetadataKept() throws Exception {
        Properties p = props(dir, Map.of());
        Path app = dir.resolve("app");
        Files.createDirectories(app.resolve("1_0/rocksdb/buckets"));
        Files.writeString(app.resolve("1_0/rocksdb/buckets/000001.sst"), "x");
        Files.writeString(app.resolve("kafka-streams-process-metadata"), "{}");
        LocalState.open(p); // no marker yet: a first start keeps the state
        assertTrue(Files.exists(app.resolve("1_0/rocksdb/buckets/000001.sst")));
        // killed: no closedCleanly(); the next start removes the task folders
        LocalState second = LocalState.open(p);
        assertFalse(Files.exists(app.resolve("1_0")));
        assertTrue(Files.exists(app.resolve("kafka-streams-process-metadata")), "the transactional ids stay the same");
        // a clean stop: the next start keeps the state
        Files.createDirectories(app.resolve("0_1"));
        second.closedCleanly();
        LocalState.open(p);
        assertTrue(Files.exists(app.resolve("0_1")));
    }

    @Test
    void atLeastOnceKeepsItsStateAfterACrash() throws Exception {
        Properties p = props(dir, Map.of("processing.guarantee", "at_least_once"));
        Files.createDirectories(dir.resolve("app/1_0"));
        LocalState.open(p);
        LocalState.open(p);
        assertTrue(Files.exists(dir.resolve("app/1_0")), "at-least-once restores from its checkpoints, nothing to remove");
    }
}
