package dev.burnrate.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.app.ConfigException;
import dev.burnrate.notifier.targets.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notifier's configuration: the documented example, errors naming file, line and key, env overrides, secrets. */
class NotifierConfigTest {
    @TempDir
    Path dir;

    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("config/notifier.properties"))) return p;
        }
        throw new AssertionError("no config/notifier.properties above " + Path.of("").toAbsolutePath());
    }

    private Path file(String... lines) throws IOException {
        Path f = dir.resolve("notifier.properties");
        Files.write(f, List.of(lines));
        return f;
    }

    private String error(Path f, Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> Notifier.targets(NotifierConfig.load(f, env))).getMessage();
    }

    @Test
    void theExampleFileDocumentsEveryKeyAndLoads() throws IOException {
        Path example = repoRoot().resolve("config/notifier.properties");
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^#?(notifier\\.[a-z.]+|alerts\\.topic|schema\\.registry\\.[a-z.]+|avro\\.schema\\.id\\.alert)=").matcher(Files.readString(example));
        while (m.find()) documented.add(m.group(1));
        for (NotifierKey k : NotifierKey.values()) assertTrue(documented.contains(k.key), k.key + " is documented in " + example);
        NotifierConfig cfg = NotifierConfig.load(example, Map.of());
        assertEquals("slo-alerts", cfg.get(NotifierKey.ALERTS_TOPIC));
        // as shipped it configures no target: the notifier says which keys would
        assertTrue(error(example, Map.of()).contains("no target configured"));
    }

    @Test
    void aBadValueNamesFileLineAndKey() throws IOException {
        Path f = file("# comment", "notifier.console.enabled=true", "notifier.retry.max.elapsed=soon");
        assertEquals(f + ":3: notifier.retry.max.elapsed: invalid duration 'soon'; expected e.g. 30s, 5m, 1h, 1d or 1h30m", error(f, Map.of()));
    }

    @Test
    void anUnknownKeyNamesFileLineAndKey() throws IOException {
        Path f = file("notifier.console.enabled=true", "notifier.slak.webhook.url=https://hooks.slack.com/x");
        assertEquals(f + ":2: notifier.slak.webhook.url: unknown key (not a notifier key nor a Kafka client property)", error(f, Map.of()));
    }

    @Test
    void aBadSeverityOrUrlIsAnErrorThatDoesNotEchoTheSecret() throws IOException {
        Path severity = file("notifier.pagerduty.routing.key=abc", "notifier.pagerduty.severity.page=urgent");
        assertEquals(severity + ":2: notifier.pagerduty.severity.page: not a PagerDuty severity: 'urgent' (critical, error, warning or info)",
                error(severity, Map.of()));
        Path url = file("notifier.slack.webhook.url=hooks.slack.com/services/T0/B0/SECRET");
        String e = error(url, Map.of());
        assertEquals(url + ":1: notifier.slack.webhook.url: not an http(s) URL", e);
    }

    @Test
    void environmentOverridesTheFileAndIsNamedInErrors() throws IOException {
        Path f = file("notifier.console.enabled=false", "notifier.pagerduty.routing.key.payments=KEY1");
        List<Target> targets = Notifier.targets(NotifierConfig.load(f, Map.of("BURNRATE_NOTIFIER_CONSOLE_ENABLED", "true",
                "BURNRATE_NOTIFIER_SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/X",
                "BURNRATE_NOTIFIER_PAGERDUTY_ROUTING_KEY_PAYMENTS", "KEY2")));
        assertEquals(List.of("pagerduty", "slack", "console"), targets.stream().map(Target::name).toList());
        assertEquals("environment BURNRATE_NOTIFIER_HTTP_PORT: notifier.http.port: not an integer: 'x'",
                error(f, Map.of("BURNRATE_NOTIFIER_HTTP_PORT", "x")));
    }

    @Test
    void severalAlertmanagerUrlsAreSeveralTargets() {
        List<Target> targets = Notifier.targets(NotifierConfig.ofMap(Map.of("notifier.alertmanager.urls", "http://am-1:9093, http://am-2:9093/")));
        assertEquals(List.of("alertmanager-1", "alertmanager-2"), targets.stream().map(Target::name).toList());
    }

    @Test
    void theStartupDescriptionLeavesSecretsOut() {
        NotifierConfig cfg = NotifierConfig.ofMap(Map.of(
                "notifier.pagerduty.routing.key", "SECRET-DEFAULT-KEY",
                "notifier.pagerduty.routing.key.payments", "SECRET-TEAM-KEY",
                "notifier.slack.webhook.url", "https://hooks.slack.com/services/T0/B0/SECRET-SLACK",
                "notifier.webhook.url", "https://hooks.example.com/SECRET-HOOK",
                "notifier.alertmanager.urls", "https://user:SECRET-PASS@am.example.com",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"SECRET-SASL\";",
                "bootstrap.servers", "kafka-1:9092"));
        String d = cfg.describe();
        assertFalse(d.contains("SECRET"), d);
        assertTrue(d.contains("bootstrap.servers=kafka-1:9092") && d.contains("notifier.slack.webhook.url=(set)"), d);
    }
}
