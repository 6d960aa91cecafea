package dev.burnrate.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A genuine single-node Kafka broker (KRaft, combined broker + controller) running inside this JVM.
 *
 * <p>All data (topic partitions, the {@code __cluster_metadata} log, {@code meta.properties}) lives directly
 * under {@code dataDir}. The directory is formatted on first use with the production metadata version and
 * production feature levels of the bundled Kafka (so transactions, the KIP-848 consumer group protocol and the
 * streams group protocol are available); a later start on the same directory reuses it, keeping topics, records
 * and committed offsets. Kafka holds a lock file in the directory, so only one broker at a time can use it.
 *
 * <p>The quorum is static ({@code controller.quorum.voters}), so the controller port may change between restarts.
 * Only a PLAINTEXT listener on 127.0.0.1 is opened; there is no authentication.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String HOST = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /**
     * How long a produce request of a new transaction may wait, inside the broker, for the previous transaction's
     * markers. With transactions v2 (the production feature level this broker is formatted with) a producer starts
     * its next transaction as soon as the commit is logged, while the markers are still being written; the broker
     * then retries the partition's verification with the coordinator, by default for only 100 ms
     * ({@code add.partitions.to.txn.retry.backoff.max.ms}), and then answers CONCURRENT_TRANSACTIONS. A broker
     * sharing a busy machine with its clients often needs longer than that for the markers. Once the first batch of
     * a partition is bounced, the producer's next in-flight batch for it (processed next on the same connection)
     * no longer starts at sequence 0: the broker rejects it with an OutOfOrderSequenceException, logged at ERROR
     * with a stack trace, and the producer retries both. Nothing is lost, but every exactly-once app logs errors
     * and pays the retries. Waiting up to 5 s (well under the clients' 30 s request timeout) removes both.
     */
    static final int TXN_VERIFICATION_WAIT_MS = 5_000;
    private static final String ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MAX_MS = "add.partitions.to.txn.retry.backoff.max.ms";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private final java.nio.channels.FileChannel lock;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir, java.nio.channels.FileChannel lock) {
        this.lock = lock;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
    }

    /** Starts a broker with its data under {@code dataDir}, picking free ports. */
    public static EmbeddedKafkaBroker start(Path dataDir) throws Exception {
        return start(dataDir, 0);
    }

    /**
     * Starts a broker with its data under {@code dataDir} (formatted on first use; a restart on the same
     * directory keeps topics and data) and returns once it serves requests.
     *
     * @param port the client (PLAINTEXT) port on 127.0.0.1, or 0 to pick a free one. The controller port is
     *             always picked freely.
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port) throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        java.nio.channels.FileChannel lock = lockDataDir(dir);
        int brokerPort = port == 0 ? freePort() : port;
        int controllerPort = freePort();
        while (controllerPort == brokerPort) {
            controllerPort = freePort();
        }

        KafkaConfig config = KafkaConfig.fromProps(brokerProperties(dir, brokerPort, controllerPort), false);
        if (!Files.exists(dir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
            format(config);
        }

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        String bootstrap = HOST + ":" + brokerPort;
        try {
            server.startup();
            awaitReady(bootstrap);
        } catch (Exception | Error e) {
            lock.close();
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (Exception | Error suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new EmbeddedKafkaBroker(server, bootstrap, dir, lock);
    }

    /**
     * A second broker on the same folder would corrupt its metadata log before Kafka's own lock is taken: refuse
     * it up front with a message that says what is going on.
     */
    private static java.nio.channels.FileChannel lockDataDir(Path dir) throws java.io.IOException {
        java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(dir.resolve(".embedded-broker.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock held;
        try {
            held = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            held = null;
        }
        if (held == null) {
            channel.close();
            throw new IllegalStateException("the embedded broker's data folder " + dir
                    + " is in use by another process (is another instance running?)");
        }
        return channel;
    }

    /** {@code "127.0.0.1:PORT"} of the PLAINTEXT listener. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The directory holding this broker's data. */
    public Path dataDir() {
        return dataDir;
    }

    /** Shuts the broker down cleanly and waits for it. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        try {
            lock.close();
        } catch (java.io.IOException ignored) {
            // releasing a lock on a local file; nothing to do if the file is gone
        }
    }

    private static Properties brokerProperties(Path dir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", String.valueOf(NODE_ID)),
            Map.entry("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort),
            Map.entry("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort),
            Map.entry("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort),
            Map.entry("controller.listener.names", CONTROLLER_LISTENER),
            Map.entry("inter.broker.listener.name", BROKER_LISTENER),
            Map.entry("listener.security.protocol.map",
                CONTROLLER_LISTENER + ":PLAINTEXT," + BROKER_LISTENER + ":PLAINTEXT"),
            Map.entry("log.dirs", dir.toString()),
            Map.entry("num.partitions", "1"),
            Map.entry("default.replication.factor", "1"),
            Map.entry("min.insync.replicas", "1"),
            Map.entry("auto.create.topics.enable", "false"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "4"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "4"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("share.coordinator.state.topic.num.partitions", "1"),
            Map.entry(ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MAX_MS, String.valueOf(TXN_VERIFICATION_WAIT_MS))));
        return p;
    }

    /** Formats the (single) log directory like {@code kafka-storage format} with a static quorum would. */
    private static void format(KafkaConfig config) throws Exception {
        Formatter formatter = new Formatter()
            .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
            .setNodeId(config.nodeId())
            .setClusterId(Uuid.randomUuid().toString())
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
            .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
            .setUnstableFeatureVersionsEnabled(false)
            .setControllerListenerName(config.controllerListenerNames().get(0))
            .setMetadataLogDirectory(config.metadataLogDir());
        config.logDirs().forEach(formatter::addDirectory);
        formatter.run();
    }

    /** Waits until the broker is registered, unfenced and answers an Admin request on its client listener. */
    private static void awaitReady(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(p)) {
            while (System.nanoTime() < deadline) {
                try {
                    Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5000))
                        .nodes().get(10, TimeUnit.SECONDS);
                    if (nodes.stream().anyMatch(n -> n.id() == NODE_ID)) {
                        return;
                    }
                } catch (ExecutionException e) {
                    last = e;
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("Broker at " + bootstrap + " not ready within " + READY_TIMEOUT, last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getByName(HOST))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
