package dev.burnrate.app;

import dev.burnrate.core.Durations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The application's configuration: one properties file holding both Kafka client/Streams properties (passed through
 * as they are) and the application's own keys (listed in {@link AppKey}, documented in config/application.properties).
 * Every key can be overridden by an environment variable: BURNRATE_ + the key upper-cased with '.' and '-' as '_'
 * (bootstrap.servers -> BURNRATE_BOOTSTRAP_SERVERS). Keys under a prefix (producer.*, ssl.*, ingest.json.field.*, ...)
 * cannot be listed in advance: the environment overrides them only when the file sets them. A key that is neither an application key nor a Kafka property
 * fails at startup naming the file and line: a typo must not silently fall back to a default.
 */
public final class AppConfig {
    private final Map<String, String> app;
    private final Map<String, String> kafka;

    private AppConfig(Map<String, String> app, Map<String, String> kafka) {
        this.app = app;
        this.kafka = kafka;
    }

    /** Loads the file (null = none: defaults only) and applies the environment's overrides. */
    public static AppConfig load(Path file, Map<String, String> env) {
        // every known key, and any key the file sets (e.g. producer.linger.ms, ingest.json.field.service)
        Sources src = read(file, env, knownKeys());
        Map<String, String> app = new LinkedHashMap<>();
        Map<String, String> kafka = new LinkedHashMap<>();
        Set<String> kafkaKeys = kafkaKeys();
        for (Map.Entry<String, String> e : src.values().entrySet()) {
            String key = e.getKey();
            if (AppKey.byKey(key) != null || AppKey.isPrefixed(key)) app.put(key, e.getValue());
            else if (kafkaKeys.contains(key) || key.startsWith("producer.") || key.startsWith("consumer.")
                    || key.startsWith("main.consumer.") || key.startsWith("restore.consumer.")
                    || key.startsWith("global.consumer.") || key.startsWith("admin.") || key.startsWith("topic.")
                    || key.startsWith("ssl.") || key.startsWith("sasl.")) kafka.put(key, e.getValue());
            else throw new ConfigException(src.keyAt(key) + ": " + key + ": unknown key (not an application key nor a Kafka client property)");
        }
        AppConfig cfg = new AppConfig(app, kafka);
        cfg.validate(src::valueFrom);
        return cfg;
    }

    /** A configuration's raw values, and for error messages where each key and value came from. */
    public record Sources(Map<String, String> values, Path file, Map<String, Integer> lines, Set<String> fromEnv) {
        /** Where a key is written: {@code file:line}, else the variable that set it (an unknown key is reported there). */
        public String keyAt(String key) {
            return lines.containsKey(key) ? file + ":" + lines.get(key) : "environment " + envName(key);
        }

        /** Where a value came from: the variable when one set it, even if the file sets the key too; else {@code file:line}. */
        public String valueFrom(String key) {
            return fromEnv.contains(key) ? "environment " + envName(key) : keyAt(key);
        }
    }

    /**
     * Reads the properties file (null = none) and applies the environment: BURNRATE_&lt;KEY&gt; for each of
     * {@code overridable} and each key the file sets. Shared by the processor's and the notifier's configuration.
     */
    public static Sources read(Path file, Map<String, String> env, Set<String> overridable) {
        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, Integer> lines = new HashMap<>();
        if (file != null) {
            if (!Files.isRegularFile(file)) throw new ConfigException(file + ": configuration file not found");
            readProperties(file, raw, lines);
        }
        Set<String> keys = new TreeSet<>(overridable);
        keys.addAll(raw.keySet());
        Set<String> fromEnv = new HashSet<>();
        for (String key : keys) {
            String v = env.get(envName(key));
            if (v != null) {
                raw.put(key, v);
                fromEnv.add(key);
            }
        }
        return new Sources(raw, file, lines, fromEnv);
    }

    public static AppConfig ofMap(Map<String, String> values) {
        AppConfig cfg = new AppConfig(new LinkedHashMap<>(), new LinkedHashMap<>());
        values.forEach((k, v) -> {
            if (AppKey.byKey(k) != null || AppKey.isPrefixed(k)) cfg.app.put(k, v);
            else cfg.kafka.put(k, v);
        });
        cfg.validate(key -> "(map)");
        return cfg;
    }

    /** A copy with one more value (used to point the app at the embedded broker). */
    public AppConfig with(String key, String value) {
        Map<String, String> all = new LinkedHashMap<>(app);
        all.putAll(kafka);
        all.put(key, value);
        return ofMap(all);
    }

    private static void readProperties(Path file, Map<String, String> out, Map<String, Integer> lines) {
        try {
            List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
            Properties p = new Properties();
            p.load(new java.io.StringReader(String.join("\n", text)));
            for (String k : p.stringPropertyNames()) out.put(k, p.getProperty(k).trim());
            // Properties has no line numbers: find each key's line for error messages
            for (int i = 0; i < text.size(); i++) {
                String l = text.get(i).trim();
                if (l.isEmpty() || l.startsWith("#") || l.startsWith("!")) continue;
                int end = 0;
                while (end < l.length() && "=: \t".indexOf(l.charAt(end)) < 0) end++;
                lines.put(l.substring(0, end), i + 1);
            }
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Checks every application value against its type; {@code locate} says where a key's value came from. */
    private void validate(Function<String, String> locate) {
        for (AppKey k : AppKey.values()) {
            String v = app.get(k.key);
            if (v == null) continue;
            try {
                k.type.apply(v);
            } catch (RuntimeException e) {
                throw new ConfigException(locate.apply(k.key) + ": " + k.key + ": " + e.getMessage());
            }
        }
    }

    public static String envName(String key) {
        return "BURNRATE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Set<String> kafkaKeys() {
        Set<String> keys = new TreeSet<>(StreamsConfig.configDef().names());
        keys.addAll(ProducerConfig.configNames());
        keys.addAll(ConsumerConfig.configNames());
        keys.addAll(AdminClientConfig.configNames());
        return keys;
    }

    private static Set<String> knownKeys() {
        Set<String> keys = kafkaKeys();
        for (AppKey k : AppKey.values()) keys.add(k.key);
        return keys;
    }

    public String get(AppKey key) {
        return app.getOrDefault(key.key, key.defaultValue);
    }

    public String getOptional(AppKey key) {
        return app.get(key.key);
    }

    public int getInt(AppKey key) {
        return Integer.parseInt(get(key));
    }


    public boolean getBoolean(AppKey key) {
        return Boolean.parseBoolean(get(key));
    }

    public Duration getDuration(AppKey key) {
        return Durations.parse(get(key));
    }

    /** Application keys under a prefix, e.g. "ingest.json." (mappings for the JSON parser). */
    public Map<String, String> appKeysWithPrefix(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        app.forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k, v);
        });
        return out;
    }

    /** All application keys that are set (explicitly), for components that read their own. */
    public Map<String, String> appValues() {
        return Map.copyOf(app);
    }

    /** Kafka properties as configured (bootstrap.servers, security, Streams tuning, ...). */
    public Map<String, String> kafka() {
        return Map.copyOf(kafka);
    }

    public boolean hasBootstrapServers() {
        String b = kafka.get("bootstrap.servers");
        return b != null && !b.isBlank();
    }

    public static Function<String, Object> type(Class<?> c) {
        if (c == Integer.class) return s -> {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an integer: '" + s + "'");
            }
        };
        if (c == Long.class) return s -> {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an integer: '" + s + "'");
            }
        };
        if (c == Boolean.class) return s -> {
            if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false"))
                throw new IllegalArgumentException("not true/false: '" + s + "'");
            return Boolean.parseBoolean(s);
        };
        if (c == Duration.class) return Durations::parse;
        return s -> s;
    }
}
