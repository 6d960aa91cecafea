package dev.burnrate.app;

import dev.burnrate.embedded.EmbeddedKafkaBroker;
import java.nio.file.Path;

/**
 * Starts the embedded single-node broker when no bootstrap.servers is configured. The broker module is an optional
 * dependency: a deployment against a real cluster leaves it out, and then this says so instead of failing obscurely.
 */
final class LocalBroker {
    private LocalBroker() {
    }

    static AutoCloseable start(AppConfig cfg, java.util.function.Consumer<String> bootstrap) throws Exception {
        try {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Path.of(cfg.get(AppKey.EMBEDDED_DATA_DIR)), cfg.getInt(AppKey.EMBEDDED_PORT));
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
}
