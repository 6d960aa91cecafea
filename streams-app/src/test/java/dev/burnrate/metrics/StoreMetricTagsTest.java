package dev.burnrate.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class StoreMetricTagsTest {
    private static void storeGauges(PrometheusMeterRegistry registry) {
        // as Kafka Streams reports them through the Micrometer binder: the store type is in the tag key
        Gauge.builder("kafka.stream.state.num.open.iterators", () -> 1).tags(Tags.of("rocksdb.state.id", "buckets", "task.id", "1_0")).register(registry);
        Gauge.builder("kafka.stream.state.num.open.iterators", () -> 2).tags(Tags.of("in.memory.state.id", "ingest-buffer", "task.id", "0_0")).register(registry);
    }

    @Test
    void storesOfEveryTypeReachTheScrapeUnderOneTagKey() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new StoreMetricTags());
        storeGauges(registry);
        String scrape = registry.scrape();
        assertTrue(scrape.contains("kafka_stream_state_num_open_iterators{state_id=\"buckets\",store_type=\"rocksdb\",task_id=\"1_0\"} 1.0"), scrape);
        assertTrue(scrape.contains("kafka_stream_state_num_open_iterators{state_id=\"ingest-buffer\",store_type=\"in.memory\",task_id=\"0_0\"} 2.0"), scrape);
    }

    @Test
    void withoutItTheSecondStoreTypeIsRefused() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        storeGauges(registry);
        assertFalse(registry.scrape().contains("ingest-buffer"), "Prometheus refuses a second tag-key set for one name");
    }
}
