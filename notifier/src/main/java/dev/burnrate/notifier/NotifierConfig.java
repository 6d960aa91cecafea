package dev.burnrate.notifier;

import dev.burnrate.app.AppConfig;
import dev.burnrate.app.ConfigException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The notifier's configuration, in the processor's style: one properties file (default config/notifier.properties)
 * with Kafka client properties and the notifier's keys ({@link NotifierKey}), each overridable by an environment
 * variable BURNRATE_ + the key upper-cased with '.' and '-' as '_' (prefixed keys only when the file sets them).
 * An unknown key or a bad value stops the start naming the file and line (or the variable) and the key.
 */
public final class NotifierConfig {
    private static final Set<String> PAGERDUTY_SEVERITIES = Set.of("critical", "error", "warning", "info");
    private final Map<String, String> own;
    private final Map<String, String> kafka;

    private NotifierConfig(Map<String, String> own, Map<String, String> kafka) {
        this.own = own;
        this.kafka = kafka;
    }

    public static NotifierConfig load(Path file, Map<String, String> env) {
        Set<String> overridable = new TreeSet<>(kafkaKeys());
        for (NotifierKey k : NotifierKey.values()) overridable.add(k.key);
        AppConfig.Sources src = AppConfig.read(file, env, overridable);
        return build(new LinkedHashMap<>(src.values()), src::keyAt, src::valueFrom);
    }

    /** For tests and embedding: values as given, no file, no environment. */
    public static NotifierConfig ofMap(Map<String, String> values) {
        return build(new LinkedHashMap<>(values), key -> "(map)", key -> "(map)");
    }

    private static NotifierConfig build(Map<String, String> raw, Function<String, String> keyAt, Function<String, String> valueFrom) {
        Map<String, String> own = new LinkedHashMap<>();
        Map<String, String> kafka = new LinkedHashMap<>();
        Set<String> kafkaKeys = kafkaKeys();
        raw.forEach((key, value) -> {
            if (NotifierKey.byKey(key) != null || NotifierKey.isPrefixed(key)) own.put(key, value);
            else if (kafkaKeys.contains(key) || key.startsWith("ssl.") || key.startsWith("sasl.")) kafka.put(key, value);
            else throw new ConfigException(keyAt.apply(key) + ": " + key + ": unknown key (not a notifier key nor a Kafka client property)");
        });
        for (Map.Entry<String, String> e : own.entrySet()) {
            String problem = problem(e.getKey(), e.getValue());
            if (problem != null) throw new ConfigException(valueFrom.apply(e.getKey()) + ": " + e.getKey() + ": " + problem);
        }
        return new NotifierConfig(own, kafka);
    }

    private static String problem(String key, String value) {
        try {
            NotifierKey k = NotifierKey.byKey(key);
            if (k != null) k.type.apply(value);
            else if (key.startsWith(NotifierKey.SEVERITY_PREFIX) && !PAGERDUTY_SEVERITIES.contains(value.trim())) {
                return "not a PagerDuty severity: '" + value + "' (critical, error, warning or info)";
            } else if (key.startsWith(NotifierKey.ROUTING_KEY_PREFIX) && value.isBlank()) return "empty routing key";
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    private static Set<String> kafkaKeys() {
        Set<String> keys = new TreeSet<>(ConsumerConfig.configNames());
        keys.addAll(ProducerConfig.configNames());
        keys.addAll(AdminClientConfig.configNames());
        return keys;
    }

    public String get(NotifierKey key) {
        return own.getOrDefault(key.key, key.defaultValue).trim();
    }

    public int getInt(NotifierKey key) {
        return Integer.parseInt(get(key));
    }

    public boolean getBoolean(NotifierKey key) {
        return Boolean.parseBoolean(get(key));
    }

    public Duration getDuration(NotifierKey key) {
        return dev.burnrate.core.Durations.parse(get(key));
    }

    /** null when empty (the target is off). */
    public URI getUrl(NotifierKey key) {
        return NotifierKey.url(get(key));
    }

    public List<URI> getUrls(NotifierKey key) {
        return List.of(NotifierKey.urls(get(key)));
    }

    /** Keys under a prefix with the prefix removed, e.g. routing keys per label value. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        own.forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v.trim());
        });
        return out;
    }

    /** Our severity -> PagerDuty's: page -> critical, ticket -> warning unless configured; others as they are or error. */
    public Map<String, String> pagerDutySeverities() {
        Map<String, String> m = new HashMap<>(Map.of("page", "critical", "ticket", "warning"));
        m.putAll(withPrefix(NotifierKey.SEVERITY_PREFIX));
        return m;
    }

    /** The notifier's own keys (for the Avro schema resolver, which reads schema.registry.* and avro.schema.id.*). */
    public Map<String, String> ownValues() {
        return Map.copyOf(own);
    }

    /** Properties for a Kafka client: the ones the client knows, plus security settings. */
    public Map<String, Object> kafkaFor(Set<String> clientKeys) {
        Map<String, Object> out = new HashMap<>();
        kafka.forEach((k, v) -> {
            if (clientKeys.contains(k) || k.startsWith("ssl.") || k.startsWith("sasl.")) out.put(k, v);
        });
        return out;
    }

    public boolean hasBootstrapServers() {
        String b = kafka.get("bootstrap.servers");
        return b != null && !b.isBlank();
    }

    /** A copy with one more value (the demo points the notifier at its embedded broker and local Alertmanager). */
    public NotifierConfig with(String key, String value) {
        Map<String, String> all = new LinkedHashMap<>(own);
        all.putAll(kafka);
        all.put(key, value);
        return ofMap(all);
    }

    /** What is configured, for the start-up log line: secrets (routing keys, webhook URLs, credentials) left out. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        own.forEach((k, v) -> {
            boolean secret = NotifierKey.SECRETS.contains(k) || k.startsWith(NotifierKey.ROUTING_KEY_PREFIX);
            s.append(s.isEmpty() ? "" : ", ").append(k).append('=').append(secret ? "(set)" : redactUserInfo(v));
        });
        kafka.forEach((k, v) -> {
            boolean secret = k.startsWith("ssl.") || k.startsWith("sasl.") || k.toLowerCase(Locale.ROOT).contains("password");
            s.append(s.isEmpty() ? "" : ", ").append(k).append('=').append(secret ? "(set)" : v);
        });
        return s.toString();
    }

    /** http://user:pass@host -> http://***@host */
    public static String redactUserInfo(String text) {
        return text.replaceAll("://[^/@\\s]+@", "://***@");
    }
}
