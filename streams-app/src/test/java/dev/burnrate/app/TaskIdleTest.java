package dev.burnrate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.burnrate.metrics.ProcessorMetrics;
import dev.burnrate.slo.SloConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * Task idling is off by default (Application.streamsProperties), which is only safe while no task reads more than one
 * partition: with two sources in a sub-topology, records would no longer be interleaved by timestamp.
 */
class TaskIdleTest {
    @Test
    void offByDefaultAndTheConfigurationWins() {
        assertEquals(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED, MainConsumerFetchTest.streams(Map.of()).getLong(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG));
        assertEquals(0L, MainConsumerFetchTest.streams(Map.of("max.task.idle.ms", "0")).getLong(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG));
    }

    @Test
    void everySubTopologyReadsOneTopic() {
        AppConfig cfg = AppConfig.ofMap(Map.of());
        TopologyDescription d = TopologyFactory.build(cfg, SloConfig.defaultConfig(), "app", 4, Application.decoder(cfg),
                Application.alertEncoder(cfg), new ProcessorMetrics(new SimpleMeterRegistry())).describe();
        assertEquals(2, d.subtopologies().size(), d.toString());
        for (TopologyDescription.Subtopology s : d.subtopologies()) {
            var sources = s.nodes().stream().filter(n -> n instanceof TopologyDescription.Source).map(n -> (TopologyDescription.Source) n).toList();
            assertEquals(1, sources.size(), "sub-topology " + s.id() + ": " + sources);
            assertEquals(1, sources.get(0).topicSet().size(), "sub-topology " + s.id() + ": " + sources.get(0));
        }
    }
}
