package dev.burnrate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.burnrate.state.WriteBehindStore;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Pins the Kafka Streams behaviour {@link WriteBehindStore} relies on: what its owner writes in the before-commit
 * hook is in the same exactly-once transaction as the input offsets that commit covers. A processor counts records
 * in memory only and writes the count in the hook. Once the input offsets of all N records are committed and no
 * further record arrives (so no later transaction), the changelog must already hold N. Were the hook run after the
 * transaction (as {@code StateStore.flush()}/{@code commit()} are), the last count would sit in a transaction that
 * never commits and the changelog would hold less: an upgrade that changes the order fails here. The same for a hook
 * that forwards (the ingest stage's hand-over): the deltas it forwards before each commit must sum to N, read_committed,
 * once the offsets are committed; were the forward refused outside process() or sent after the transaction, they
 * would not.
 */
class WriteBehindCommitOrderTest {
    private static final String STORE = "counter";

    /** Counts in memory, writes the count to its store before each commit. */
    static final class CountInMemory implements Processor<byte[], byte[], Void, Void> {
        private long n;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            WriteBehindStore<String, Long> store = WriteBehindStore.of(context.getStateStore(STORE));
            Long restored = store.get("n");
            n = restored == null ? 0 : restored;
            store.beforeCommit(() -> store.put("n", n));
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            n++;
        }
    }

    /** Counts in memory, forwards what it counted since the last commit from the hook, before each commit. */
    static final class ForwardBeforeCommit implements Processor<byte[], byte[], Void, Long> {
        private long delta;

        @Override
        public void init(ProcessorContext<Void, Long> context) {
            WriteBehindStore<String, Long> store = WriteBehindStore.of(context.getStateStore(STORE));
            store.beforeCommitForwarding(context, () -> {
                if (delta == 0) return;
                context.forward(new Record<>(null, delta, context.currentSystemTimeMs()));
                delta = 0;
            });
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            delta++;
        }
    }

    @Test
    void whatTheHookWritesCommitsWithTheOffsetsItCovers() throws Exception {
        run("write-behind-", (t, id) -> {
            t.addProcessor("count", CountInMemory::new, "in");
            t.addStateStore(WriteBehindStore.builder(Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(STORE), Serdes.String(), Serdes.Long())), "count");
        }, (id, n) -> {
            List<ConsumerRecord<byte[], byte[]>> changelog = KafkaTestSupport.readAll(id + "-" + STORE + "-changelog");
            assertFalse(changelog.isEmpty(), "nothing the hook wrote is committed although all input offsets are");
            ConsumerRecord<byte[], byte[]> last = changelog.get(changelog.size() - 1);
            assertEquals(n, ByteBuffer.wrap(last.value()).getLong(),
                    "the count written before the commit that covered all input offsets, read_committed");
        });
    }

    @Test
    void whatTheHookForwardsCommitsWithTheOffsetsItCovers() throws Exception {
        run("forward-before-commit-", (t, id) -> {
            t.addProcessor("count", ForwardBeforeCommit::new, "in");
            t.addStateStore(WriteBehindStore.builder(Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(STORE), Serdes.String(), Serdes.Long()).withLoggingDisabled()), "count");
            t.addSink("out", id + "-out", Serdes.ByteArray().serializer(), Serdes.Long().serializer(), "count");
        }, (id, n) -> {
            List<ConsumerRecord<byte[], byte[]>> out = KafkaTestSupport.readAll(id + "-out");
            long sum = out.stream().mapToLong(r -> ByteBuffer.wrap(r.value()).getLong()).sum();
            assertEquals(n, sum, "the deltas forwarded before the commits that covered all input offsets, read_committed ("
                    + out.size() + " records)");
        });
    }

    interface Check {
        void check(String applicationId, int n) throws Exception;
    }

    /** Builds the topology on a fresh input topic, puts n records in, waits until their offsets are committed, checks. */
    private static void run(String prefix, BiConsumer<Topology, String> processor, Check check) throws Exception {
        String id = prefix + UUID.randomUUID().toString().substring(0, 8);
        String in = id + "-in";
        String bootstrap = KafkaTestSupport.bootstrap();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(in, 1, (short) 1), new NewTopic(id + "-out", 1, (short) 1))).all().get();
            Topology t = new Topology();
            t.addSource("in", in);
            processor.accept(t, id);
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, id);
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
            p.put(StreamsConfig.STATE_DIR_CONFIG, KafkaTestSupport.tempDir("write-behind").toString());
            p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArray().getClass());
            p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArray().getClass());
            int n = 500;
            try (KafkaStreams streams = new KafkaStreams(t, p);
                 KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer()) {
                streams.start();
                for (int i = 0; i < n; i++) {
                    producer.send(new ProducerRecord<>(in, ("r" + i).getBytes()));
                    if (i == n / 2) producer.flush(); // more than one transaction's worth
                }
                producer.flush();
                TopicPartition tp = new TopicPartition(in, 0);
                KafkaTestSupport.await("input offsets of all " + n + " records committed", Duration.ofSeconds(60), () -> {
                    try {
                        OffsetAndMetadata o = admin.listConsumerGroupOffsets(id).partitionsToOffsetAndMetadata().get().get(tp);
                        return o != null && o.offset() == n;
                    } catch (Exception e) {
                        return false;
                    }
                });
                check.check(id, n);
            }
        }
    }
}
