package dev.burnrate.notifier;

import static dev.burnrate.notifier.TestKafka.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.it.KafkaTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import dev.burnrate.schema.SloAlert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * The notifier as its own JVM (dev.burnrate.notifier.Main with a config file), killed with SIGKILL mid-incident
 * and started again:
 * <ol>
 *   <li>killed after PagerDuty accepted the trigger but while the webhook still hangs (so nothing is committed):
 *   the restart delivers the trigger again, with the same dedup_key, which PagerDuty folds into the open
 *   incident: no second page; and the webhook gets it;</li>
 *   <li>killed once everything is committed, the resolve written while it is down: the restart sends no trigger
 *   again, and the resolve arrives, for the same dedup_key.</li>
 * </ol>
 */
class NotifierKillIntegrationTest {

    @Test
    void sigkillMidIncidentNeitherPagesTwiceNorLosesTheResolve() throws Exception {
        Map<String, String> cfg = TestKafka.isolatedConfig("kill", 2);
        String topic = cfg.get("alerts.topic");
        Path dir = KafkaTestSupport.tempDir("notifier-kill");
        try (FakeReceiver pd = new FakeReceiver(202);
             FakeReceiver hook = new FakeReceiver(200).then(200, null, 30_000, "too late");
             KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            cfg.put("notifier.pagerduty.url", pd.url("/v2/enqueue").toString());
            cfg.put("notifier.pagerduty.routing.key", "R0000000000000000000000000000000");
            cfg.put("notifier.webhook.url", hook.url("/hook").toString());
            cfg.put("notifier.request.timeout", "60s");
            // the restarted notifier gets the partitions once the killed one's session has expired: the broker's minimum
            // session timeout instead of the 45 s default
            cfg.put("session.timeout.ms", "6000");
            cfg.put("heartbeat.interval.ms", "1000");
            Path config = dir.resolve("notifier.properties");
            Files.write(config, cfg.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList());

            SloAlert firing = TestKafka.firing("checkout", Instant.now().minusSeconds(300));
            Process first = start(config, dir.resolve("first.log"));
            try {
                TestKafka.send(producer, topic, firing);
                await("PagerDuty's trigger", Duration.ofSeconds(60), () -> pd.requests() == 1, () -> log(dir, "first.log"));
                await("the webhook's hanging request", Duration.ofSeconds(30), () -> hookRequestsInFlight(hook, dir));
                assertEquals(0, committed(cfg), "the webhook has not answered: nothing committed");
            } finally {
                kill9(first);
            }

            Process second = start(config, dir.resolve("second.log"));
            try {
                await("the re-delivered trigger and the webhook", Duration.ofSeconds(60), () -> pd.requests() == 2 && hook.statuses().size() >= 1,
                        () -> log(dir, "second.log"));
                List<JsonNode> events = pd.json();
                assertEquals("trigger", events.get(1).path("event_action").asText());
                assertEquals(events.get(0).path("dedup_key"), events.get(1).path("dedup_key"),
                        "delivered again after the crash, with the same dedup key: PagerDuty deduplicates it, no second page");
                await("committed", Duration.ofSeconds(30), () -> committed(cfg) == 1);
            } finally {
                kill9(second);
            }

            TestKafka.send(producer, topic, TestKafka.resolved(firing, Instant.now().minusSeconds(5)));
            Process third = start(config, dir.resolve("third.log"));
            try {
                await("the resolve written while the notifier was down", Duration.ofSeconds(60), () -> pd.requests() == 3,
                        () -> log(dir, "third.log"));
                await("committed", Duration.ofSeconds(30), () -> committed(cfg) == 2);
                Thread.sleep(1000);
                List<JsonNode> events = pd.json();
                assertEquals(List.of("trigger", "trigger", "resolve"), events.stream().map(e -> e.path("event_action").asText()).toList(),
                        "no trigger after the committed restart");
                assertEquals(1, events.stream().map(e -> e.path("dedup_key").asText()).collect(Collectors.toSet()).size(),
                        "one episode, one dedup key: " + events);
                String log = log(dir, "third.log");
                assertTrue(log.contains("1 active alert(s) rebuilt"), log);
                assertTrue(!log.contains("Exception"), "a healthy restart logs no stack trace: " + log);
            } finally {
                kill9(third);
            }
        }
    }

    /** The hanging answer is recorded only when it completes: wait until the receiver has the request open. */
    private static boolean hookRequestsInFlight(FakeReceiver hook, Path dir) {
        return log(dir, "first.log").contains("delivered trigger") && hook.statuses().isEmpty();
    }

    private static Process start(Path config, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx256m", "dev.burnrate.notifier.Main", "--config", config.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** SIGKILL: no shutdown hook, no final commit, no closing of anything. */
    private static void kill9(Process p) throws Exception {
        new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start().waitFor();
        p.waitFor();
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
    }

    private static String log(Path dir, String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static long committed(Map<String, String> cfg) {
        try {
            return TestKafka.committed(cfg.get("notifier.group.id"), cfg.get("alerts.topic"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
