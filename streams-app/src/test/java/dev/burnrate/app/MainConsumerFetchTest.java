package dev.burnrate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The main consumer's fetch batching: a default of the processor, yielding to any form of the key in the configuration. */
class MainConsumerFetchTest {
    /** The processor's Kafka Streams configuration with these settings added (also TaskIdleTest's). */
    static StreamsConfig streams(Map<String, String> more) {
        Map<String, String> cfg = new HashMap<>(Map.of("application.id", "app", "bootstrap.servers", "localhost:9092"));
        cfg.putAll(more);
        return new StreamsConfig(Application.streamsProperties(AppConfig.ofMap(cfg)));
    }

    private static Map<String, Object> mainConsumer(Map<String, String> more) {
        return streams(more).getMainConsumerConfigs("app", "c", 0);
    }

    @Test
    void theMainConsumerWaitsForABatchByDefault() {
        Map<String, Object> main = mainConsumer(Map.of());
        assertEquals("65536", String.valueOf(main.get("fetch.min.bytes")));
        assertEquals("50", String.valueOf(main.get("fetch.max.wait.ms")));
        assertNotEquals("65536", String.valueOf(streams(Map.of()).getRestoreConsumerConfigs("c").get("fetch.min.bytes")), "restoring reads big batches anyway");
    }

    @Test
    void anyFormOfTheKeyInTheConfigurationWins() {
        assertEquals("1", String.valueOf(mainConsumer(Map.of("fetch.min.bytes", "1")).get("fetch.min.bytes")));
        Map<String, Object> viaConsumer = mainConsumer(Map.of("consumer.fetch.max.wait.ms", "200"));
        assertEquals("200", String.valueOf(viaConsumer.get("fetch.max.wait.ms")));
        assertEquals("65536", String.valueOf(viaConsumer.get("fetch.min.bytes")), "the other key keeps its default");
        assertEquals("1024", String.valueOf(mainConsumer(Map.of("main.consumer.fetch.min.bytes", "1024")).get("fetch.min.bytes")));
    }
}
