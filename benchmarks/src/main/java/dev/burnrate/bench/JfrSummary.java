package dev.burnrate.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the stream threads' time goes, from a JFR recording: Java execution samples plus native samples (a thread
 * inside RocksDB's JNI code is "in native", so execution samples alone would hide RocksDB), idle waits (epoll, park)
 * left out. Two views: the share of samples whose stack contains a given method (inclusive), and the hottest leaf
 * frames (self). {@code jfr print --events jdk.ExecutionSample FILE} shows the raw samples.
 */
final class JfrSummary {
    /** Inclusive probes: label -> substring of "class.method" that marks a frame. Order is the report's order. */
    static final Map<String, String> PROBES = new LinkedHashMap<>();

    static {
        PROBES.put("ingest: IngestProcessor.process", "dev.burnrate.ingest.IngestProcessor.process");
        PROBES.put("  JSON decode (JsonAccessLogParser)", "dev.burnrate.ingest.JsonAccessLogParser.");
        PROBES.put("  route normalization", "dev.burnrate.ingest.RouteNormalizer.");
        PROBES.put("  counting (IngestCounting: normalize, buffer)", "dev.burnrate.ingest.IngestCounting.event");
        PROBES.put("hand-over (IngestProcessor.publishProgress)", "dev.burnrate.ingest.IngestProcessor.publishProgress");
        PROBES.put("windows: WindowProcessor.process", "dev.burnrate.windows.WindowProcessor.process");
        PROBES.put("  hand-over entries (Shuffled.Batch.forEachEntry)", "dev.burnrate.core.Shuffled$Batch.forEachEntry");
        PROBES.put("  BucketStore.add (in-memory finest tier)", "dev.burnrate.windows.BucketStore.add");
        PROBES.put("evaluation of instants (WindowProcessor.resume)", "dev.burnrate.windows.WindowProcessor.resume");
        PROBES.put("  AlertEvaluator", "dev.burnrate.alerts.AlertEvaluator.");
        PROBES.put("  bucket expiry (BucketStore.expire)", "dev.burnrate.windows.BucketStore.expire");
        PROBES.put("RocksDB JNI (any caller)", "org.rocksdb.");
        PROBES.put("record cache (ThreadCache/NamedCache)", "org.apache.kafka.streams.state.internals.NamedCache.");
        PROBES.put("changelogging (ChangeLogging*Store)", "org.apache.kafka.streams.state.internals.ChangeLogging");
        PROBES.put("by-service encoding (ShuffledSerde)", "dev.burnrate.core.ShuffledSerde");
        PROBES.put("Jackson (any caller)", "com.fasterxml.jackson.");
        PROBES.put("consumer poll", "org.apache.kafka.clients.consumer.internals.ClassicKafkaConsumer.poll");
        PROBES.put("producer send (KafkaProducer.send)", "org.apache.kafka.clients.producer.KafkaProducer.send");
        PROBES.put("commit (TaskManager.commit)", "org.apache.kafka.streams.processor.internals.TaskManager.commit");
        PROBES.put("  EOS transaction commit", "org.apache.kafka.streams.processor.internals.StreamsProducer.commitTransaction");
        PROBES.put("  pre-commit flush (WriteBehindStore.flushCache)", "dev.burnrate.state.WriteBehindStore.flushCache");
        PROBES.put("  state manager flush (the pre-commit flush included)", "org.apache.kafka.streams.processor.internals.ProcessorStateManager.flush");
        PROBES.put("punctuation (wall clock: hand-over, resume)", "org.apache.kafka.streams.processor.internals.StreamTask.punctuate");
    }

    private JfrSummary() {
    }

    static Map<String, Object> summarize(Path file, String threadNameContains) throws Exception {
        int total = 0;
        Map<String, Integer> inclusive = new LinkedHashMap<>();
        PROBES.keySet().forEach(k -> inclusive.put(k, 0));
        Map<String, Integer> leaf = new HashMap<>();
        int nativeSamples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            boolean isNative = type.equals("jdk.NativeMethodSample");
            if (!isNative && !type.equals("jdk.ExecutionSample")) continue;
            RecordedThread t = e.getThread("sampledThread");
            if (t == null || t.getJavaName() == null || !t.getJavaName().contains(threadNameContains)) continue;
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) continue;
            List<String> frames = new ArrayList<>();
            for (RecordedFrame f : st.getFrames()) frames.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
            String top = frames.get(0);
            if (isNative && isIdle(top)) continue;
            if (isNative) nativeSamples++;
            total++;
            leaf.merge(top, 1, Integer::sum);
            for (Map.Entry<String, String> p : PROBES.entrySet()) {
                for (String f : frames) {
                    if (f.contains(p.getValue())) {
                        inclusive.merge(p.getKey(), 1, Integer::sum);
                        break;
                    }
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", file.toString());
        out.put("threads", "*" + threadNameContains + "*");
        out.put("busySamples", total);
        out.put("nativeBusySamples", nativeSamples);
        Map<String, Object> inc = new LinkedHashMap<>();
        final int n = Math.max(1, total);
        inclusive.forEach((k, v) -> inc.put(k, Math.round(1000.0 * v / n) / 10.0));
        out.put("inclusivePercent", inc);
        List<Map.Entry<String, Integer>> hot = new ArrayList<>(leaf.entrySet());
        hot.sort((a, b) -> b.getValue() - a.getValue());
        Map<String, Object> top = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> h : hot.subList(0, Math.min(15, hot.size()))) top.put(h.getKey(), Math.round(1000.0 * h.getValue() / n) / 10.0);
        out.put("hottestLeafFramesPercent", top);
        return out;
    }

    private static boolean isIdle(String top) {
        return top.contains("epollWait") || top.contains("Unsafe.park") || top.contains("Object.wait") || top.contains("Thread.sleep")
                || top.contains("EPoll.wait") || top.contains("socketRead") || top.contains("accept");
    }

    /** `java ... dev.burnrate.bench.JfrSummary FILE.jfr [thread-substring]` */
    public static void main(String[] args) throws Exception {
        System.out.println(Benchmark.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                summarize(Path.of(args[0]), args.length > 1 ? args[1] : "StreamThread")));
    }
}
