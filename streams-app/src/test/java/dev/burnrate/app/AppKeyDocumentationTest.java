package dev.burnrate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps config/application.properties (the documented configuration) in step with {@link AppKey}: every key is
 * documented, documented defaults are the real defaults, and the file sets nothing the application would reject.
 */
class AppKeyDocumentationTest {
    /** "key=value" or "#key=value" (a commented-out setting: no space after '#', unlike prose comments). */
    private static final Pattern SETTING = Pattern.compile("^(#?)([A-Za-z][A-Za-z0-9._-]*)\\s*[=:](.*)$");

    record Line(int number, boolean commented, String key, String value) {
    }

    private static List<Line> settings;
    private static Properties uncommented;

    @BeforeAll
    static void read() throws IOException {
        List<String> text = Files.readAllLines(AppConfigTest.shippedConfig(), StandardCharsets.UTF_8);
        settings = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            Matcher m = SETTING.matcher(text.get(i).trim());
            if (m.matches()) settings.add(new Line(i + 1, !m.group(1).isEmpty(), m.group(2), m.group(3).trim()));
        }
        uncommented = new Properties();
        uncommented.load(new StringReader(String.join("\n", text)));
    }

    private static Set<String> kafkaNames() {
        Set<String> names = new TreeSet<>(StreamsConfig.configDef().names());
        names.addAll(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return names;
    }

    private static boolean isKafkaProperty(String key) {
        Set<String> names = kafkaNames();
        if (names.contains(key)) return true;
        for (String prefix : List.of("producer.", "consumer.", "main.consumer.", "restore.consumer.", "global.consumer.", "admin.")) {
            if (key.startsWith(prefix) && names.contains(key.substring(prefix.length()))) return true;
        }
        return false;
    }

    private static boolean isAppKey(String key) {
        return AppKey.byKey(key) != null || AppKey.isPrefixed(key);
    }

    @Test
    void theFileHasSettingsToCheck() {
        // guards the parsing above: a format change must not make the other tests pass vacuously
        assertTrue(settings.stream().filter(l -> !l.commented()).count() >= 20, "uncommented settings: " + settings);
        assertTrue(settings.stream().anyMatch(l -> l.commented() && l.key().equals("bootstrap.servers")), "#bootstrap.servers=");
    }

    @Test
    void everyAppKeyIsDocumented() {
        List<String> missing = new ArrayList<>();
        for (AppKey k : AppKey.values()) {
            if (settings.stream().noneMatch(l -> l.key().equals(k.key))) missing.add(k.key);
        }
        assertEquals(List.of(), missing, "AppKeys without a 'key=' or '#key=' line in config/application.properties");
    }

    @Test
    void documentedValuesAreTheDefaults() {
        Map<String, String> wrong = new LinkedHashMap<>();
        for (AppKey k : AppKey.values()) {
            for (Line l : settings) {
                if (l.commented() || !l.key().equals(k.key)) continue;
                String documented = uncommented.getProperty(k.key).trim();
                if (!documented.equals(k.defaultValue)) {
                    wrong.put(k.key, "line " + l.number() + " says '" + documented + "', AppKey says '" + k.defaultValue + "'");
                }
            }
        }
        assertEquals(Map.of(), wrong, "config/application.properties documents a value that is not the default");
    }

    @Test
    void everyUncommentedKeyIsAnAppKeyOrAKafkaProperty() {
        List<String> unknown = new ArrayList<>();
        for (String key : uncommented.stringPropertyNames()) {
            if (!isAppKey(key) && !isKafkaProperty(key)) unknown.add(key);
        }
        assertEquals(List.of(), unknown, "keys in config/application.properties the application would reject");
    }

    @Test
    void everyCommentedOutKeyIsAnAppKeyOrAKafkaProperty() {
        // uncommenting a documented example must not be a startup error
        List<String> unknown = new ArrayList<>();
        for (Line l : settings) {
            if (l.commented() && !isAppKey(l.key()) && !isKafkaProperty(l.key())) unknown.add(l.number() + ": " + l.key());
        }
        assertEquals(List.of(), unknown, "commented-out keys in config/application.properties that are not valid");
    }

    @Test
    void eachKeyIsSetAtMostOnce() {
        Set<String> seen = new TreeSet<>();
        List<String> repeated = new ArrayList<>();
        for (Line l : settings) if (!l.commented() && !seen.add(l.key())) repeated.add(l.number() + ": " + l.key());
        assertEquals(List.of(), repeated, "a repeated key silently takes the last value");
    }

    @Test
    void appKeysAreUniqueAndNeverShadowAKafkaProperty() {
        Set<String> keys = new TreeSet<>();
        for (AppKey k : AppKey.values()) {
            assertTrue(keys.add(k.key), "duplicate AppKey " + k.key);
            // AppConfig sorts a key into the application first: a clash would hide a Kafka property from Kafka
            assertFalse(isKafkaProperty(k.key), k.key + " is also a Kafka property");
            for (String p : List.of("producer.", "consumer.", "admin.", "topic.", "ssl.", "sasl.")) {
                assertFalse(k.key.startsWith(p), k.key + " is under the Kafka pass-through prefix " + p);
            }
        }
    }

    @Test
    void everyDefaultIsAValidValueOfItsType() {
        for (AppKey k : AppKey.values()) {
            try {
                k.type.apply(k.defaultValue);
            } catch (RuntimeException e) {
                throw new AssertionError(k.key + " default '" + k.defaultValue + "': " + e.getMessage());
            }
        }
    }
}
