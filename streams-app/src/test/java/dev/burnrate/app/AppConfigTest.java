package dev.burnrate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppConfigTest {
    @TempDir
    Path dir;

    /** The repository root: the nearest folder up from the working directory holding config/application.properties and pom.xml. */
    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("config/application.properties")) && Files.isRegularFile(p.resolve("pom.xml"))) return p;
        }
        throw new IllegalStateException("no config/application.properties above " + Path.of("").toAbsolutePath());
    }

    static Path shippedConfig() {
        return repoRoot().resolve("config/application.properties");
    }

    private Path write(String... lines) throws IOException {
        Path f = dir.resolve("app.properties");
        Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return f;
    }

    private static void assertMessageContains(ConfigException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
    }

    // ---- the shipped file -----------------------------------------------------------------------------------

    @Test
    void shippedConfigLoadsAndRunsLocallyWithTheDocumentedDefaults() {
        AppConfig cfg = AppConfig.load(shippedConfig(), Map.of());
        AppConfig defaults = AppConfig.load(null, Map.of());
        for (AppKey k : AppKey.values()) assertEquals(defaults.get(k), cfg.get(k), k.key);
        assertEquals("access-logs", cfg.get(AppKey.INPUT_TOPIC));
        assertEquals(Duration.ofSeconds(30), cfg.getDuration(AppKey.IDLE_TIMEOUT));
        assertEquals(200, cfg.getInt(AppKey.INGEST_ROUTE_CAP));
        assertTrue(cfg.getBoolean(AppKey.TOPICS_CREATE));
        // bootstrap.servers is commented out: the shipped file runs the embedded broker
        assertFalse(cfg.hasBootstrapServers());
        assertEquals(Map.of(), cfg.kafka());
    }

    // ---- unknown keys ---------------------------------------------------------------------------------------

    @Test
    void unknownKeyNamesFileLineAndKey() throws IOException {
        Path f = write("# topics", "dlq.topic=dead", "input.topik=x", "alerts.topic=a");
        ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.load(f, Map.of()));
        assertMessageContains(e, f + ":3:", "input.topik", "unknown key");
    }

    @Test
    void unknownKeyLineCountsCommentsBlankLinesAndContinuationLines() throws IOException {
        Path f = write(
                "# comment",
                "",
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\",
                "    username=\"u\" \\",
                "    password=\"p\";",
                "! another comment",
                "   idle.timeout : 30s",
                "evalution.interval 10s");
        ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.load(f, Map.of()));
        assertMessageContains(e, f + ":8:", "evalution.interval");
    }

    @Test
    void unknownKeyUnderAKnownPrefixOfTheApplicationIsStillUnknown() throws IOException {
        // ingest.json.field.* is a prefix; ingest.json.fields.* (typo) is not
        Path f = write("ingest.json.fields.service=app");
        ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.load(f, Map.of()));
        assertMessageContains(e, f + ":1:", "ingest.json.fields.service");
    }

    // ---- bad values -----------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "idle.timeout=soon        | idle.timeout       | soon",
            "ingest.route.cap=many    | ingest.route.cap   | many",
            "topics.create=maybe      | topics.create      | maybe",
            "embedded.port=90 92      | embedded.port      | 90 92",
            "evaluation.interval=10 s | evaluation.interval| 10 s"})
    void badValueNamesFileLineKeyAndValue(String line, String key, String value) throws IOException {
        Path f = write("input.topic=in", "# the bad one:", line.trim(), "dlq.topic=dlq");
        ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.load(f, Map.of()));
        assertMessageContains(e, f + ":3: " + key.trim() + ":", "'" + value.trim() + "'");
    }

    @Test
    void theLastOfARepeatedKeyWinsAndIsTheLineReported() throws IOException {
        Path ok = write("idle.timeout=soon", "idle.timeout=45s");
        assertEquals(Duration.ofSeconds(45), AppConfig.load(ok, Map.of()).getDuration(AppKey.IDLE_TIMEOUT));
        Path bad = write("idle.timeout=45s", "input.topic=x", "idle.timeout=soon");
        ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.load(bad, Map.of()));
        assertMessageContains(e, bad + ":3: idle.timeout:");
    }

    @Test
    void valuesAreTrimmed() throws IOException {
        Path f = write("ingest.route.cap = 50   ", "topics.create=FALSE ");
        AppConfig cfg = AppConfig.load(f, Map.of());
        assertEquals(50, cfg.getInt(AppKey.INGEST_ROUTE_CAP));
        assertFalse(cfg.getBoolean(AppKey.TOPICS_CREATE));
    }

    // ---- environment overrides ------------------------------------------------------------------------------

    @Test
    void environmentOverridesWinOverTheFile() throws IOException {
        Path f = write("input.topic=from-file", "bootstrap.servers=file:9092", "ingest.route.cap=10");
        AppConfig cfg = AppConfig.load(f, Map.of(
                "BURNRATE_INPUT_TOPIC", "from-env",
                "BURNRATE_BOOTSTRAP_SERVERS", "env-1:9092,env-2:9092",
                "BURNRATE_AVRO_SCHEMA_ID_ACCESS_LOG_EVENT", "7",
                "INPUT_TOPIC", "not-ours",
                "PATH", "/usr/bin"));
        assertEquals("from-env", cfg.get(AppKey.INPUT_TOPIC));
        assertEquals("env-1:9092,env-2:9092", cfg.kafka().get("bootstrap.servers"));
        assertTrue(cfg.hasBootstrapServers());
        assertEquals(7, cfg.getInt(AppKey.AVRO_SCHEMA_ID_ACCESS_LOG));
        assertEquals(10, cfg.getInt(AppKey.INGEST_ROUTE_CAP), "a key without an override keeps the file's value");
    }

    @Test
    void environmentOverridesApplyWithoutAFile() {
        AppConfig cfg = AppConfig.load(null, Map.of("BURNRATE_IDLE_TIMEOUT", "2m", "BURNRATE_NUM_STREAM_THREADS", "3"));
        assertEquals(Duration.ofMinutes(2), cfg.getDuration(AppKey.IDLE_TIMEOUT));
        assertEquals("3", cfg.kafka().get("num.stream.threads"));
        assertEquals("access-logs", cfg.get(AppKey.INPUT_TOPIC));
    }

    @Test
    void environmentOverridesAKafkaOrPrefixedKeySetInTheFile() throws IOException {
        // The class documents "every key can be overridden": keys under a prefix cannot be enumerated in advance,
        // but those the file sets must still yield to the environment.
        Path f = write("producer.linger.ms=5", "ingest.json.field.service=app");
        AppConfig cfg = AppConfig.load(f, Map.of(
                "BURNRATE_PRODUCER_LINGER_MS", "50",
                "BURNRATE_INGEST_JSON_FIELD_SERVICE", "kubernetes.labels.app"));
        assertEquals("50", cfg.kafka().get("producer.linger.ms"));
        assertEquals("kubernetes.labels.app", cfg.appKeysWithPrefix("ingest.json.field.").get("ingest.json.field.service"));
    }

    @Test
    void anUnknownKeyInTheFileIsReportedAtItsLineEvenWhenTheEnvironmentSetsIt() throws IOException {
        Path f = write("input.topic=x", "input.topik=y");
        ConfigException e = assertThrows(ConfigException.class,
                () -> AppConfig.load(f, Map.of("BURNRATE_INPUT_TOPIK", "z")));
        assertMessageContains(e, f + ":2:", "input.topik");
    }

    @Test
    void badEnvironmentValueNamesTheVariable() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AppConfig.load(null, Map.of("BURNRATE_INGEST_ROUTE_CAP", "many")));
        assertMessageContains(e, "environment BURNRATE_INGEST_ROUTE_CAP", "ingest.route.cap", "'many'");
    }

    @Test
    void badEnvironmentValueOverridingAGoodFileValueNamesTheVariableNotTheFile() throws IOException {
        Path f = write("input.topic=x", "idle.timeout=30s");
        ConfigException e = assertThrows(ConfigException.class,
                () -> AppConfig.load(f, Map.of("BURNRATE_IDLE_TIMEOUT", "soon")));
        assertMessageContains(e, "environment BURNRATE_IDLE_TIMEOUT", "idle.timeout", "'soon'");
        assertFalse(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void goodEnvironmentValueRepairsABadFileValue() throws IOException {
        Path f = write("idle.timeout=soon");
        AppConfig cfg = AppConfig.load(f, Map.of("BURNRATE_IDLE_TIMEOUT", "1m"));
        assertEquals(Duration.ofMinutes(1), cfg.getDuration(AppKey.IDLE_TIMEOUT));
    }

    @Test
    void envNameUpperCasesAndReplacesDotsAndDashes() {
        assertEquals("BURNRATE_BOOTSTRAP_SERVERS", AppConfig.envName("bootstrap.servers"));
        assertEquals("BURNRATE_AVRO_SCHEMA_ID_ACCESS_LOG_EVENT", AppConfig.envName("avro.schema.id.access-log-event"));
    }

    // ---- Kafka pass-through ---------------------------------------------------------------------------------

    @Test
    void kafkaPropertiesPassThroughAndAreNotApplicationKeys() throws IOException {
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";";
        Path f = write(
                "bootstrap.servers=k1:9092,k2:9092",
                "num.stream.threads=4",
                "producer.linger.ms=20",
                "consumer.max.poll.records=100",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=PLAIN",
                "sasl.jaas.config=" + jaas,
                "ssl.truststore.location=/etc/ts.jks",
                "processing.guarantee=at_least_once",
                "input.topic=logs");
        AppConfig cfg = AppConfig.load(f, Map.of());
        Map<String, String> kafka = cfg.kafka();
        assertEquals("k1:9092,k2:9092", kafka.get("bootstrap.servers"));
        assertEquals("4", kafka.get("num.stream.threads"));
        assertEquals("20", kafka.get("producer.linger.ms"));
        assertEquals("100", kafka.get("consumer.max.poll.records"));
        assertEquals("SASL_SSL", kafka.get("security.protocol"));
        assertEquals("PLAIN", kafka.get("sasl.mechanism"));
        assertEquals(jaas, kafka.get("sasl.jaas.config"));
        assertEquals("/etc/ts.jks", kafka.get("ssl.truststore.location"));
        assertEquals("at_least_once", kafka.get("processing.guarantee"));
        assertEquals(9, kafka.size());
        assertFalse(kafka.containsKey("input.topic"), "application keys stay out of the Kafka properties");
        assertEquals(Map.of("input.topic", "logs"), cfg.appValues());
        assertTrue(cfg.hasBootstrapServers());
    }

    @Test
    void blankBootstrapServersIsNotConfigured() throws IOException {
        assertFalse(AppConfig.load(write("bootstrap.servers="), Map.of()).hasBootstrapServers());
        assertFalse(AppConfig.load(write("bootstrap.servers=   "), Map.of()).hasBootstrapServers());
    }

    @Test
    void jsonFieldMappingsAreApplicationKeys() throws IOException {
        Path f = write("ingest.json.field.service=kubernetes.labels.app", "ingest.json.field.duration.unit=ms",
                "ingest.json.dimensions=region,zone");
        AppConfig cfg = AppConfig.load(f, Map.of());
        assertEquals(Map.of("ingest.json.field.service", "kubernetes.labels.app", "ingest.json.field.duration.unit", "ms"),
                cfg.appKeysWithPrefix("ingest.json.field."));
        assertEquals("region,zone", cfg.get(AppKey.INGEST_JSON_DIMENSIONS));
        assertEquals(Map.of(), cfg.kafka());
    }

    // ---- missing file ---------------------------------------------------------------------------------------

    @Test
    void missingFileNamesIt() {
        Path f = dir.resolve("nope/application.properties");
        ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.load(f, Map.of()));
        assertMessageContains(e, f.toString(), "not found");
    }

    @Test
    void aDirectoryIsNotAConfigurationFile() {
        ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.load(dir, Map.of()));
        assertMessageContains(e, dir.toString());
    }

    @Test
    void noFileMeansDefaults() {
        AppConfig cfg = AppConfig.load(null, Map.of());
        for (AppKey k : AppKey.values()) {
            assertEquals(k.defaultValue, cfg.get(k), k.key);
            assertNull(cfg.getOptional(k), k.key);
        }
        assertFalse(cfg.hasBootstrapServers());
    }

    @Test
    void durationJunkInTheFileNamesLineAndKey() throws IOException {
        Path f = write("lateness.grace=2m", "progress.interval=abc123");
        ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.load(f, Map.of()));
        assertMessageContains(e, f + ":2: progress.interval:", "'abc123'");
    }

    // ---- with / ofMap ---------------------------------------------------------------------------------------

    @Test
    void withKeepsEveryValueAndAddsOne() throws IOException {
        Path f = write("input.topic=logs", "idle.timeout=1m", "ingest.json.field.route=req.path",
                "num.stream.threads=2", "producer.linger.ms=20");
        AppConfig cfg = AppConfig.load(f, Map.of());
        AppConfig more = cfg.with("bootstrap.servers", "localhost:12345");

        assertEquals("localhost:12345", more.kafka().get("bootstrap.servers"));
        assertTrue(more.hasBootstrapServers());
        assertEquals(cfg.appValues(), more.appValues());
        assertEquals("logs", more.get(AppKey.INPUT_TOPIC));
        assertEquals(Duration.ofMinutes(1), more.getDuration(AppKey.IDLE_TIMEOUT));
        assertEquals("req.path", more.appKeysWithPrefix("ingest.json.field.").get("ingest.json.field.route"));
        assertEquals("2", more.kafka().get("num.stream.threads"));
        assertEquals("20", more.kafka().get("producer.linger.ms"));
        assertEquals(3, more.kafka().size());
        // the original is unchanged
        assertFalse(cfg.hasBootstrapServers());
        assertEquals(2, cfg.kafka().size());
    }

    @Test
    void withReplacesAnApplicationValueAndValidatesIt() {
        AppConfig cfg = AppConfig.ofMap(Map.of("input.topic", "a", "demo.rate", "5"));
        AppConfig changed = cfg.with("demo.rate", "9");
        assertEquals(9, changed.getInt(AppKey.DEMO_RATE));
        assertEquals("a", changed.get(AppKey.INPUT_TOPIC));
        assertEquals(5, cfg.getInt(AppKey.DEMO_RATE));

        ConfigException e = assertThrows(ConfigException.class, () -> cfg.with("demo.rate", "fast"));
        assertMessageContains(e, "demo.rate", "'fast'");
        assertFalse(e.getMessage().contains("environment"), () -> "a programmatic value is not from the environment: " + e.getMessage());
    }

    @Test
    void returnedMapsAreReadOnlyCopies() {
        AppConfig cfg = AppConfig.ofMap(Map.of("input.topic", "a", "bootstrap.servers", "b:1"));
        assertThrows(UnsupportedOperationException.class, () -> cfg.kafka().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> cfg.appValues().put("x", "y"));
    }
}
