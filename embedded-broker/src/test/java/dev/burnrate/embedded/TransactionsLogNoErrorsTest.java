package dev.burnrate.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exactly-once producer on the embedded broker, on a busy machine, logs no errors. Transactions back to back, as
 * Kafka Streams runs them (the next one starts as soon as the commit returns), several batches per partition in
 * each, with the machine's cores kept busy so that the broker is slow to write the previous transaction's markers:
 * with Kafka's default server-side wait for them (100 ms) this logs OutOfOrderSequenceException ERRORs with stack
 * traces (see {@link EmbeddedKafkaBroker#TXN_VERIFICATION_WAIT_MS}), and the producer retries CONCURRENT_TRANSACTIONS.
 */
class TransactionsLogNoErrorsTest {
    private static final String TOPIC = "txn-out";
    private static final int PARTITIONS = 8;
    private static final int TRANSACTIONS = 15;
    private static final int RECORDS_PER_TRANSACTION = 1000;

    @TempDir
    Path dataDir;

    @Test
    @Timeout(180)
    void backToBackTransactionsOnABusyMachineLogNoErrorAndNeedNoRetry() throws Exception {
        try (Captured logs = Captured.attach(); EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> spinners = new java.util.ArrayList<>();
            for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
                Thread t = new Thread(() -> {
                    long x = 0;
                    while (!stop.get()) x += System.nanoTime() % 7;
                    if (x == 42) System.out.print(""); // keep the loop
                }, "busy-" + i);
                t.setDaemon(true);
                t.start();
                spinners.add(t);
            }
            byte[] value = new byte[150];
            Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "txn-noise-test",
                    // small batches: each transaction sends several batches per partition, so more than one is in
                    // flight to a partition when the transaction starts
                    ProducerConfig.BATCH_SIZE_CONFIG, 1024, ProducerConfig.LINGER_MS_CONFIG, 1);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.initTransactions();
                for (int t = 0; t < TRANSACTIONS; t++) {
                    producer.beginTransaction();
                    for (int i = 0; i < RECORDS_PER_TRANSACTION; i++) producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, value));
                    producer.commitTransaction();
                }
            } finally {
                stop.set(true);
                for (Thread t : spinners) t.join();
            }
            // every record and one commit marker per transaction and partition: nothing lost, nothing written twice
            List<TopicPartition> tps = java.util.stream.IntStream.range(0, PARTITIONS).mapToObj(i -> new TopicPartition(TOPIC, i)).toList();
            long end = admin.listOffsets(tps.stream().collect(java.util.stream.Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                    .all().get().values().stream().mapToLong(i -> i.offset()).sum();
            assertEquals((long) TRANSACTIONS * (RECORDS_PER_TRANSACTION + PARTITIONS), end);
        }
        List<String> errors = Captured.last.lines(e -> e.getLevel().isMoreSpecificThan(Level.ERROR));
        List<String> retries = Captured.last.lines(e -> e.getMessage().getFormattedMessage().contains("CONCURRENT_TRANSACTIONS"));
        assertTrue(errors.isEmpty(), errors.size() + " ERROR log lines, e.g. " + errors.subList(0, Math.min(3, errors.size())));
        assertTrue(retries.isEmpty(), retries.size() + " produce retries on CONCURRENT_TRANSACTIONS, e.g. " + retries.subList(0, Math.min(3, retries.size())));
    }

    /** Log4j events of WARN and above from every logger, while attached. */
    static final class Captured extends AbstractAppender implements AutoCloseable {
        static Captured last;
        private final List<LogEvent> events = new CopyOnWriteArrayList<>();

        private Captured() {
            super("captured", null, null, true, Property.EMPTY_ARRAY);
        }

        static Captured attach() {
            Captured c = new Captured();
            c.start();
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            ctx.getConfiguration().getRootLogger().addAppender(c, Level.WARN, null);
            ctx.updateLoggers();
            last = c;
            return c;
        }

        @Override
        public void append(LogEvent event) {
            events.add(event.toImmutable());
        }

        List<String> lines(java.util.function.Predicate<LogEvent> which) {
            return events.stream().filter(which).map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getMessage().getFormattedMessage()
                    + (e.getThrown() == null ? "" : " " + e.getThrown())).toList();
        }

        @Override
        public void close() {
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            ctx.getConfiguration().getRootLogger().removeAppender(getName());
            ctx.updateLoggers();
            stop();
        }
    }
}
