package dev.burnrate.app;

import dev.burnrate.embedded.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * Starts the embedded single-node broker when no bootstrap.servers is configured. The broker module is an optional
 * dependency: a deployment against a real cluster leaves it out, and then this says so instead of failing obscurely.
 */
final class LocalBroker {
    private LocalBroker() {
    }

    static AutoCloseable start(AppConfig cfg, java.util.function.Consumer<String> bootstrap) throws Exception {
        int port = cfg.getInt(AppKey.EMBEDDED_PORT);
        // checked here, not left to the broker: its socket server fails with a fatal error and stack traces on every
        // thread that sees it, and a developer machine often has a Kafka of its own on 9092
        if (port != 0 && !free(port)) {
            throw new ConfigException("the embedded broker's port 127.0.0.1:" + port + " is in use (a Kafka broker or "
                    + "another burnrate already running?): stop it, set embedded.port to a free port (0: any), or set "
                    + "bootstrap.servers to use the broker that is there");
        }
        try {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Path.of(cfg.get(AppKey.EMBEDDED_DATA_DIR)), port);
            bootstrap.accept(broker.bootstrapServers());
            return () -> {
                broker.close();
                org.slf4j.LoggerFactory.getLogger(LocalBroker.class).info("embedded broker stopped");
            };
        } catch (IllegalStateException e) {
            throw new ConfigException(e.getMessage() + " (embedded.data.dir)");
        } catch (NoClassDefFoundError e) {
            throw new ConfigException("bootstrap.servers is not set and the embedded broker is not on the classpath: "
                    + "set bootstrap.servers (or BURNRATE_BOOTSTRAP_SERVERS) to your Kafka cluster");
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
