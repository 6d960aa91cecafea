package dev.burnrate.notifier;

import dev.burnrate.app.ConfigException;
import dev.burnrate.notifier.delivery.DeadLetters;
import dev.burnrate.notifier.delivery.DeliveryMetrics;
import dev.burnrate.notifier.delivery.HttpSender;
import dev.burnrate.notifier.delivery.Progress;
import dev.burnrate.notifier.delivery.RetryPolicy;
import dev.burnrate.notifier.delivery.Sender;
import dev.burnrate.notifier.delivery.TargetWorker;
import dev.burnrate.notifier.ops.OpsServer;
import dev.burnrate.notifier.source.AlertDecoder;
import dev.burnrate.notifier.source.AlertSource;
import dev.burnrate.notifier.targets.AlertmanagerTarget;
import dev.burnrate.notifier.targets.ConsoleTarget;
import dev.burnrate.notifier.targets.PagerDutyTarget;
import dev.burnrate.notifier.targets.SlackTarget;
import dev.burnrate.notifier.targets.Target;
import dev.burnrate.notifier.targets.WebhookTarget;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running notifier: the alerts topic's reader, one worker per target, the dead-letter producer, /metrics. */
public final class Notifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    private final AlertSource source;
    private final List<TargetWorker> workers;
    private final KafkaProducer<byte[], byte[]> producer;
    private final OpsServer ops;
    private final DeliveryMetrics metrics;

    private Notifier(AlertSource source, List<TargetWorker> workers, KafkaProducer<byte[], byte[]> producer, OpsServer ops, DeliveryMetrics metrics) {
        this.source = source;
        this.workers = workers;
        this.producer = producer;
        this.ops = ops;
        this.metrics = metrics;
    }

    /** The configured targets; at least one, else the configuration is useless and says so. */
    static List<Target> targets(NotifierConfig cfg) {
        List<Target> out = new ArrayList<>();
        List<URI> ams = cfg.getUrls(NotifierKey.ALERTMANAGER_URLS);
        for (int i = 0; i < ams.size(); i++) {
            out.add(new AlertmanagerTarget("alertmanager-" + (i + 1), ams.get(i), cfg.getDuration(NotifierKey.ALERTMANAGER_RESEND_INTERVAL),
                    cfg.getInt(NotifierKey.ALERTMANAGER_RATE_LIMIT)));
        }
        Map<String, String> keysByValue = cfg.withPrefix(NotifierKey.ROUTING_KEY_PREFIX);
        if (!cfg.get(NotifierKey.PAGERDUTY_ROUTING_KEY).isEmpty() || !keysByValue.isEmpty()) {
            out.add(new PagerDutyTarget(cfg.getUrl(NotifierKey.PAGERDUTY_URL), cfg.get(NotifierKey.PAGERDUTY_ROUTING_KEY),
                    cfg.get(NotifierKey.PAGERDUTY_ROUTING_LABEL), keysByValue, cfg.pagerDutySeverities(), cfg.getInt(NotifierKey.PAGERDUTY_RATE_LIMIT)));
        }
        URI slack = cfg.getUrl(NotifierKey.SLACK_WEBHOOK_URL);
        if (slack != null) out.add(new SlackTarget(slack, cfg.getInt(NotifierKey.SLACK_RATE_LIMIT)));
        URI webhook = cfg.getUrl(NotifierKey.WEBHOOK_URL);
        if (webhook != null) out.add(new WebhookTarget(webhook, cfg.getInt(NotifierKey.WEBHOOK_RATE_LIMIT)));
        if (cfg.getBoolean(NotifierKey.CONSOLE_ENABLED)) out.add(new ConsoleTarget());
        if (out.isEmpty()) {
            throw new ConfigException("no target configured: set notifier.alertmanager.urls, notifier.pagerduty.routing.key, "
                    + "notifier.slack.webhook.url, notifier.webhook.url or notifier.console.enabled=true");
        }
        return out;
    }

    public static Notifier start(NotifierConfig cfg, PrometheusMeterRegistry registry, PrintStream console) throws Exception {
        if (!cfg.hasBootstrapServers()) throw new ConfigException("bootstrap.servers is not set (BURNRATE_BOOTSTRAP_SERVERS)");
        List<Target> targets = targets(cfg);
        String topic = cfg.get(NotifierKey.ALERTS_TOPIC);
        String dlq = cfg.get(NotifierKey.DLQ_TOPIC);
        if (cfg.getBoolean(NotifierKey.TOPICS_CREATE)) createDeadLetterTopic(cfg, dlq);

        Map<String, Object> p = cfg.kafkaFor(ProducerConfig.configNames());
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "burnrate-notifier-dlq");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());

        Progress progress = new Progress(targets.stream().map(Target::name).toList());
        RetryPolicy retry = new RetryPolicy(cfg.getDuration(NotifierKey.RETRY_INITIAL_BACKOFF), cfg.getDuration(NotifierKey.RETRY_MAX_BACKOFF),
                cfg.getDuration(NotifierKey.RETRY_MAX_ELAPSED));
        Sender http = new HttpSender(cfg.getDuration(NotifierKey.REQUEST_TIMEOUT));
        AlertSource[] sourceRef = new AlertSource[1];
        DeliveryMetrics metrics = new DeliveryMetrics(registry, () -> sourceRef[0] == null ? 0 : sourceRef[0].activeAlerts());
        DeadLetters deadLetters = new DeadLetters(producer, dlq, metrics);
        List<TargetWorker> workers = new ArrayList<>();
        for (Target t : targets) {
            workers.add(new TargetWorker(t, t instanceof ConsoleTarget ? ConsoleTarget.sender(console) : http, retry, progress, deadLetters, metrics));
        }
        AlertSource source = new AlertSource(consumer(cfg, cfg.get(NotifierKey.GROUP_ID)), () -> consumer(cfg, null), topic,
                new AlertDecoder(cfg.ownValues()), workers, progress, deadLetters);
        sourceRef[0] = source;
        OpsServer ops = new OpsServer(cfg.get(NotifierKey.HTTP_BIND_ADDRESS), cfg.getInt(NotifierKey.HTTP_PORT), registry,
                () -> source.ready() ? null : source.notReadyReason());
        workers.forEach(TargetWorker::start);
        source.start();
        log.info("notifier started: {} -> {}; dead letters to {}; group {}; /metrics on port {}", topic,
                workers.stream().map(TargetWorker::name).toList(), dlq, cfg.get(NotifierKey.GROUP_ID), ops.port());
        return new Notifier(source, workers, producer, ops, metrics);
    }

    private static Consumer<byte[], byte[]> consumer(NotifierConfig cfg, String groupId) {
        Map<String, Object> c = cfg.kafkaFor(ConsumerConfig.configNames());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // a restarted notifier gets its partitions only when the old member's session has expired: 10 s, not Kafka's 45 s,
        // so a crash delays pages by seconds (configurable like any consumer property)
        c.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        c.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
        if (groupId != null) c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        else c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static void createDeadLetterTopic(NotifierConfig cfg, String dlq) throws InterruptedException {
        try (Admin admin = Admin.create(cfg.kafkaFor(AdminClientConfig.configNames()))) {
            if (admin.listTopics().names().get().contains(dlq)) return;
            admin.createTopics(Set.of(new NewTopic(dlq, java.util.Optional.of(1), java.util.Optional.empty())
                    .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")))).all().get();
            log.info("created topic {}", dlq);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) throw new ConfigException("cannot create topic " + dlq + ": " + e.getCause().getMessage());
        }
    }

    public int httpPort() {
        return ops.port();
    }

    public boolean ready() {
        return source.ready();
    }

    public DeliveryMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() throws InterruptedException {
        source.close();
        for (TargetWorker w : workers) w.close();
        producer.close(java.time.Duration.ofSeconds(5));
        ops.close();
        log.info("notifier stopped");
    }
}
