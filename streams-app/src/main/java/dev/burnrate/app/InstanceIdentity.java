package dev.burnrate.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Static group membership by default: each instance's {@code group.instance.id} is a random id kept in its state
 * directory, so the same instance (same local state) rejoins as the same member after a crash or a restart and gets
 * its partitions back at once, without waiting for its old session to time out, while two instances never share an
 * id (they cannot share a state directory). An explicit {@code group.instance.id} wins; so does the streams group
 * protocol, which has no static membership.
 */
final class InstanceIdentity {
    private InstanceIdentity() {
    }

    static void apply(Properties props) {
        if (props.containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)) return;
        if ("streams".equalsIgnoreCase(props.getProperty(StreamsConfig.GROUP_PROTOCOL_CONFIG, ""))) return;
        String app = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        Path file = Path.of(props.getProperty(StreamsConfig.STATE_DIR_CONFIG)).resolve("burnrate-instance-" + app);
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, app + "-" + readOrCreate(file));
    }

    private static String readOrCreate(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!id.isEmpty()) return id;
            }
            Files.createDirectories(file.getParent());
            String id = UUID.randomUUID().toString().substring(0, 8);
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("state.dir: cannot keep the instance id in " + file, e);
        }
    }
}
