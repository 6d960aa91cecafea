package dev.burnrate.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams 4.3 logs a WARN from every StreamsConfig built without {@code processing.exception.handler.global.enabled};
 * one is built from the main consumer's settings by its partition assignor, at every start.
 */
class StartupWarningsTest {
    private static final String GLOBAL_HANDLER = "processing.exception.handler.global.enabled";

    @Test
    void theAssignorsConfigHasTheGlobalHandlerEnabledToo() {
        Properties p = Application.streamsProperties(AppConfig.ofMap(Map.of("application.id", "app", "bootstrap.servers", "localhost:9092")));
        StreamsConfig streams = new StreamsConfig(p);
        assertTrue(streams.getBoolean(GLOBAL_HANDLER));
        // what the partition assignor builds its own StreamsConfig from (AssignorConfiguration, ClientUtils.QuietStreamsConfig)
        Map<String, Object> consumer = streams.getMainConsumerConfigs("app", "app-client", 0);
        assertTrue(new StreamsConfig(consumer).getBoolean(GLOBAL_HANDLER), "main consumer settings: " + consumer.keySet());
    }
}
