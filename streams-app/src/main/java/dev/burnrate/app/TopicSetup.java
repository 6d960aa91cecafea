package dev.burnrate.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics the processor writes (dead letters, alerts, by-service) when missing, and checks the input
 * topic. The input topic belongs to the log shippers: it is created only when {@code topics.create} is on and it
 * does not exist (the local run); otherwise its absence is a startup error.
 */
public final class TopicSetup {
    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {
    }

    /** What setup found: the input topic's partitions, and whether it was created just now (a first run). */
    public record Result(int inputPartitions, boolean inputCreated) {
    }

    /** Ensures the topics exist. */
    public static Result ensure(Admin admin, AppConfig cfg, String applicationId) throws InterruptedException {
        String input = cfg.get(AppKey.INPUT_TOPIC);
        boolean create = cfg.getBoolean(AppKey.TOPICS_CREATE);
        Optional<Short> rf = cfg.getInt(AppKey.TOPICS_REPLICATION_FACTOR) < 0 ? Optional.empty()
                : Optional.of((short) cfg.getInt(AppKey.TOPICS_REPLICATION_FACTOR));
        try {
            Set<String> existing = admin.listTopics().names().get();
            boolean inputCreated = false;
            if (!existing.contains(input)) {
                inputCreated = true;
                if (!create) throw new ConfigException("input topic '" + input + "' does not exist (input.topic); create it or set topics.create=true");
                create(admin, new NewTopic(input, Optional.of(cfg.getInt(AppKey.INPUT_PARTITIONS)), rf));
            }
            int partitions = awaitServed(admin, input).partitions().size();
            List<NewTopic> wanted = new ArrayList<>();
            String dlq = cfg.get(AppKey.DLQ_TOPIC);
            String alerts = cfg.get(AppKey.ALERTS_TOPIC);
            String byService = TopologyFactory.byServiceTopic(applicationId);
            // Dead letters and alerts are stamped with their append time: records that carry old event times (a replay)
            // would otherwise roll segments at once and be deleted or compacted before anyone reads them.
            // (A dead letter keeps the source record's timestamp in a header.)
            if (!existing.contains(dlq)) wanted.add(new NewTopic(dlq, Optional.of(partitions), rf)
                    .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")));
            // compacted: the latest record per alert identity is the set of active alerts; every transition stays for
            // a day first, so a notifier that lags behind still sees the firing record before its resolve
            if (!existing.contains(alerts)) wanted.add(new NewTopic(alerts, Optional.of(partitions), rf)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime",
                            TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, Long.toString(24 * 3600_000L))));
            // internal hand-over between the two stages: a day of retention covers any restart. Retention counts from
            // append time: records carry event time in their value, and a replay of old logs must not be deleted at once
            if (!existing.contains(byService)) wanted.add(new NewTopic(byService, Optional.of(partitions), rf)
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(24 * 3600_000L),
                            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")));
            if (!wanted.isEmpty() && !create) {
                throw new ConfigException("missing topics " + wanted.stream().map(NewTopic::name).toList() + " and topics.create=false");
            }
            for (NewTopic t : wanted) create(admin, t);
            // Kafka Streams' first assignment fails (and replaces the thread, with a stack trace) when a source topic
            // is not in the metadata yet: wait until every topic just created is served
            for (NewTopic t : wanted) awaitServed(admin, t.name());
            return new Result(partitions, inputCreated);
        } catch (ExecutionException e) {
            throw new ConfigException("cannot set up topics: " + e.getCause().getMessage());
        }
    }

    /**
     * Describes a topic once every partition has a leader. A topic created a moment ago may not be served yet (a busy
     * broker answers "does not host this topic-partition", a producer's first batch meets NOT_LEADER_OR_FOLLOWER):
     * retry for a while.
     */
    public static TopicDescription awaitServed(Admin admin, String topic) throws InterruptedException, ExecutionException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                if (d.partitions().stream().allMatch(p -> p.leader() != null)) return d;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException) || System.currentTimeMillis() > deadline) throw e;
            }
            if (System.currentTimeMillis() > deadline) throw new ConfigException("topic " + topic + " has partitions without a leader");
            Thread.sleep(100);
        }
    }

    private static void create(Admin admin, NewTopic t) throws ExecutionException, InterruptedException {
        try {
            admin.createTopics(List.of(t)).all().get();
            log.info("created topic {} ({} partitions{})", t.name(), t.numPartitions(),
                    t.configs() == null ? "" : ", " + t.configs());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) throw e;
        }
    }
}
