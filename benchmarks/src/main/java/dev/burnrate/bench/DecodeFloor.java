package dev.burnrate.bench;

import dev.burnrate.app.AppConfig;
import dev.burnrate.app.AppKey;
import dev.burnrate.app.Application;
import dev.burnrate.ingest.EventDecoder;
import dev.burnrate.ingest.IngestBuffer;
import dev.burnrate.ingest.IngestCounting;
import dev.burnrate.ingest.InvalidRecordException;
import dev.burnrate.ingest.RouteNormalizer;
import dev.burnrate.metrics.ProcessorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The engine floor plus what any processor of this input must do per record, with the application's own code: decode
 * the record ({@link Application#decoder}), normalize its route and count it ({@link IngestCounting}, into an
 * in-memory {@link IngestBuffer} per task, drained and dropped every {@value #DRAIN_EVERY} records as a hand-over
 * would take it). No hand-over, no windows, no evaluation, no state store; the engine floor's settings. Between the
 * engine floor and this, the input's own cost; between this and the processor, the design's.
 */
final class DecodeFloor {
    static final int DRAIN_EVERY = 10_000;
    final ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry());

    KafkaStreams build(Properties props, String inputTopic) {
        AppConfig cfg = AppConfig.ofMap(Map.of());
        RouteNormalizer normalizer = RouteNormalizer.fromProperties(cfg.appValues());
        long graceMs = cfg.getDuration(AppKey.LATENESS_GRACE).toMillis();
        EventDecoder decoder = Application.decoder(cfg); // one for all tasks, as the application's
        StreamsBuilder b = new StreamsBuilder();
        b.stream(inputTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())).process(() -> new Processor<byte[], byte[], Void, Void>() {
            private IngestCounting counting;
            private int sinceDrain;

            @Override
            public void init(ProcessorContext<Void, Void> context) {
                counting = new IngestCounting(normalizer, graceMs, DecodeBench.BUCKET_MS, metrics, IngestBuffer.inMemory());
            }

            @Override
            public void process(Record<byte[], byte[]> record) {
                try {
                    decoder.decode(record.value(), record.timestamp(), counting);
                } catch (InvalidRecordException e) {
                    metrics.deadLetter(e.reason());
                }
                if (++sinceDrain == DRAIN_EVERY) {
                    counting.buffer().drain();
                    sinceDrain = 0;
                }
            }
        });
        return new KafkaStreams(b.build(), props);
    }
}
