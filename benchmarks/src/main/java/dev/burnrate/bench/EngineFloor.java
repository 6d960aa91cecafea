package dev.burnrate.bench;

import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;

/**
 * The engine floor: a Kafka Streams app that does nothing with its records (byte[] serdes, a {@code foreach} that
 * only counts them), with the peer's settings ({@link NaivePeer#properties}). What it costs is what Kafka Streams
 * itself costs per record on this machine, with this guarantee: no Kafka Streams design can be faster.
 */
final class EngineFloor {
    final LongAdder seen = new LongAdder();

    KafkaStreams build(java.util.Properties props, String inputTopic) {
        StreamsBuilder b = new StreamsBuilder();
        b.stream(inputTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())).foreach((k, v) -> seen.increment());
        return new KafkaStreams(b.build(), props);
    }
}
