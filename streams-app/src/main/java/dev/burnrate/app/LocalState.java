package dev.burnrate.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance's local state after a crash. Under exactly-once, Kafka Streams 4.3 records a store's changelog
 * position only when the store closes cleanly (it cannot tell otherwise whether the local files hold writes of a
 * transaction that never committed), so after a kill -9 every task with a non-empty store fails with
 * TaskCorruptedException, is closed dirty, wiped and restored from its changelog: seconds of detour and an ERROR in
 * the log for a known outcome. A marker file tells a restart that the last run did not stop cleanly; the task
 * directories are then removed before Kafka Streams starts, and it restores them straight away. The process
 * metadata stays, so the restarted instance keeps its transactional ids and fences its predecessor's open
 * transaction at once. A clean stop removes the marker and keeps the state (only the changelogs' tails to read).
 */
final class LocalState {
    private static final Logger log = LoggerFactory.getLogger(LocalState.class);
    private static final Pattern TASK_DIR = Pattern.compile("\\d+_\\d+");

    private final Path marker;

    private LocalState(Path marker) {
        this.marker = marker;
    }

    static LocalState open(Properties props) {
        String app = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        Path root = Path.of(props.getProperty(StreamsConfig.STATE_DIR_CONFIG));
        Path marker = root.resolve("burnrate-running-" + app);
        boolean eos = !StreamsConfig.AT_LEAST_ONCE.equals(props.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        try {
            if (Files.exists(marker) && eos) {
                int removed = removeTaskDirs(root.resolve(app));
                log.info("the last run of this instance did not stop cleanly: {} task state folder(s) removed, restored from the changelogs", removed);
            }
            Files.createDirectories(root);
            Files.writeString(marker, ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("state.dir " + root + ": " + e.getMessage(), e);
        }
        return new LocalState(marker);
    }

    /** Kafka Streams closed cleanly: its stores recorded their positions, the next start may keep them. */
    void closedCleanly() {
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            log.warn("could not remove {}: the next start rebuilds the local state", marker);
        }
    }

    private static int removeTaskDirs(Path appDir) throws IOException {
        if (!Files.isDirectory(appDir)) return 0;
        int n = 0;
        try (Stream<Path> dirs = Files.list(appDir)) {
            for (Path d : dirs.filter(d -> Files.isDirectory(d) && TASK_DIR.matcher(d.getFileName().toString()).matches()).toList()) {
                try (Stream<Path> all = Files.walk(d)) {
                    for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
                }
                n++;
            }
        }
        return n;
    }
}
