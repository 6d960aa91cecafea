package dev.burnrate.backtest;

import dev.burnrate.app.TopologyFactory;
import dev.burnrate.ingest.IngestProcessor;
import dev.burnrate.core.Shuffled;
import dev.burnrate.core.ShuffledSerde;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.metrics.StreamsMetricsImpl;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The topology's two stages ({@link TopologyFactory#stages}: the same processors and stores the processor runs)
 * driven in one thread, one input partition, without the per-record commit of a TopologyTestDriver (which cost
 * more than the processing itself). What the ingest stage hands on goes through the by-service topic's serde to
 * the windows stage, in the order it was sent, as a single by-service partition would deliver it.
 *
 * <p>Time is the caller's: {@link #advanceWallClock} sets the wall clock and runs the ingest stage's wall-clock
 * punctuation once, as a stream thread does when the interval has passed.
 */
final class StagePipeline implements AutoCloseable {
    private final String inputTopic;
    private final String byServiceTopic;
    private final MockProcessorContext<Object, Object> ingestContext;
    private final MockProcessorContext<String, byte[]> windowsContext;
    private final Processor<byte[], byte[], Object, Object> ingest;
    private final Processor<String, Shuffled, String, byte[]> windows;
    private final Punctuator progress;
    private final List<StateStore> stores = new ArrayList<>();
    private final Serializer<Shuffled> toWire;
    private final Deserializer<Shuffled> fromWire;
    private long offset;

    StagePipeline(TopologyFactory.Stages stages, String applicationId, String inputTopic, File stateDir) {
        this.inputTopic = inputTopic;
        this.byServiceTopic = TopologyFactory.byServiceTopic(applicationId);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "backtest:9092"); // never contacted
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.getPath());
        props.put("processing.exception.handler.global.enabled", "true"); // as the processor (4.3 warns without it)
        ingestContext = new StageContext<>(props, new TaskId(0, 0), new File(stateDir, "0_0"));
        windowsContext = new StageContext<>(props, new TaskId(1, 0), new File(stateDir, "1_0"));
        ingestContext.setCurrentSystemTimeMs(0);
        windowsContext.setCurrentSystemTimeMs(0);
        ShuffledSerde serde = new ShuffledSerde();
        toWire = serde.serializer();
        fromWire = serde.deserializer();

        stages.ingestStores().forEach(b -> open(b, ingestContext));
        ingest = stages.ingest().get();
        ingest.init(ingestContext);
        stages.windowsStores().forEach(b -> open(b, windowsContext));
        windows = stages.windows().get();
        windows.init(windowsContext);

        List<MockProcessorContext.CapturedPunctuator> scheduled = ingestContext.scheduledPunctuators();
        if (scheduled.size() != 1 || scheduled.get(0).getType() != PunctuationType.WALL_CLOCK_TIME || !windowsContext.scheduledPunctuators().isEmpty()) {
            // the time model of BacktestRunner assumes exactly the ingest stage's progress punctuation
            throw new IllegalStateException("the backtest expects one wall-clock punctuation in the ingest stage and none in the windows stage");
        }
        progress = scheduled.get(0).getPunctuator();
    }

    /**
     * A MockProcessorContext whose stores record metrics as the processor's do: at INFO, Kafka Streams' default
     * {@code metrics.recording.level}. The mock records at DEBUG, which times every store operation (a tenth of a
     * backtest's CPU, measured with JFR).
     */
    private static final class StageContext<K, V> extends MockProcessorContext<K, V> {
        private final StreamsMetricsImpl metrics = new StreamsMetricsImpl(
                new Metrics(new MetricConfig().recordLevel(Sensor.RecordingLevel.INFO)), "backtest", Time.SYSTEM);

        StageContext(Properties config, TaskId taskId, File stateDir) {
            super(config, taskId, stateDir);
        }

        @Override
        public StreamsMetrics metrics() {
            return metrics;
        }
    }

    private void open(StoreBuilder<?> builder, MockProcessorContext<?, ?> context) {
        StateStore store = builder.build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        stores.add(store);
    }

    /**
     * One input record through the ingest stage; its offset is its sequence number in this run. Returns the dead
     * letter it produced, or null.
     */
    Record<?, ?> process(byte[] value, long timestampMs) {
        ingestContext.setRecordMetadata(inputTopic, 0, offset++);
        ingest.process(new Record<>(null, value, timestampMs));
        List<CapturedForward<?, ?>> out = ingestContext.forwarded();
        if (out.isEmpty()) return null;
        ingestContext.resetForwards();
        // the ingest stage forwards only dead letters while processing (counts are handed on by the punctuation)
        if (out.size() != 1 || !IngestProcessor.TO_DEAD_LETTERS.equals(out.get(0).childName().orElse(null))) {
            throw new IllegalStateException("unexpected forward from the ingest stage: " + out);
        }
        return out.get(0).record();
    }

    /** Sets the wall clock to {@code nowMs}, runs the progress punctuation and the windows stage on what it handed on; alerts go to {@code alerts}. */
    void advanceWallClock(long nowMs, Consumer<Record<String, byte[]>> alerts) {
        ingestContext.setCurrentSystemTimeMs(nowMs);
        windowsContext.setCurrentSystemTimeMs(nowMs);
        progress.punctuate(nowMs);
        List<CapturedForward<?, ?>> handedOn = ingestContext.forwarded();
        ingestContext.resetForwards();
        for (CapturedForward<?, ?> f : handedOn) {
            if (!IngestProcessor.TO_BY_SERVICE.equals(f.childName().orElse(null))) {
                throw new IllegalStateException("unexpected forward from the ingest punctuation: " + f);
            }
            Record<?, ?> r = f.record();
            Shuffled value = fromWire.deserialize(byServiceTopic, toWire.serialize(byServiceTopic, (Shuffled) r.value()));
            windows.process(new Record<>((String) r.key(), value, r.timestamp()));
            for (CapturedForward<? extends String, ? extends byte[]> a : windowsContext.forwarded()) {
                alerts.accept(new Record<>(a.record().key(), a.record().value(), a.record().timestamp()));
            }
            windowsContext.resetForwards();
        }
    }

    @Override
    public void close() {
        ingest.close();
        windows.close();
        stores.forEach(StateStore::close);
    }
}
