package dev.burnrate.notifier;

import static dev.burnrate.notifier.TestKafka.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.it.KafkaTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.burnrate.notifier.demo.LocalAlertmanager;
import dev.burnrate.notifier.targets.WebhookTarget;
import dev.burnrate.schema.SloAlert;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * Against two real Alertmanager processes (Debian's prometheus-alertmanager; the README's test command installs it)
 * as an HA pair without clustering, on the real embedded broker: a firing record becomes an active alert in both,
 * with the processor's labels and annotations and Alertmanager's own fingerprint; it stays active far past
 * resolve_timeout (1s) and past the endsAt of any single post, because the notifier re-sends it; the resolve record
 * makes it resolved at once (before the last re-send's endsAt would have), and no later re-send revives it.
 * (Alertmanager's API lists no resolved alert, so the resolve shows as the alert leaving the list early.)
 */
class AlertmanagerIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void firesStaysActiveByResendAndResolves() throws Exception {
        Path binary = LocalAlertmanager.binary();
        assertNotNull(binary, "prometheus-alertmanager is not installed (the README's test command installs it: .ci/install-test-deps)");
        Path dir = KafkaTestSupport.tempDir("am-it");
        Map<String, String> cfg = TestKafka.isolatedConfig("am", 2);
        String topic = cfg.get("alerts.topic");
        try (LocalAlertmanager am1 = LocalAlertmanager.start(binary, dir.resolve("am1"), 0, Duration.ofSeconds(1));
             LocalAlertmanager am2 = LocalAlertmanager.start(binary, dir.resolve("am2"), 0, Duration.ofSeconds(1));
             KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            cfg.put("notifier.alertmanager.urls", am1.url() + "," + am2.url());
            cfg.put("notifier.alertmanager.resend.interval", "1s");
            SloAlert firing = TestKafka.firing("checkout", Instant.now().minusSeconds(120));
            try (Notifier n = Notifier.start(NotifierConfig.ofMap(cfg), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), System.out)) {
                TestKafka.send(producer, topic, firing);
                for (LocalAlertmanager am : List.of(am1, am2)) {
                    await("the alert active in " + am.url(), Duration.ofSeconds(30), () -> active(am, "checkout") != null);
                    JsonNode a = active(am, "checkout");
                    assertEquals("active", a.path("status").path("state").asText());
                    assertEquals(firing.getLabels(), JSON.convertValue(a.get("labels"), Map.class));
                    assertEquals(firing.getAnnotations().get("summary"), a.path("annotations").path("summary").asText());
                    assertEquals(firing.getAnnotations().get("runbook_url"), a.path("annotations").path("runbook_url").asText());
                    assertEquals(firing.getGeneratorURL(), a.path("generatorURL").asText());
                    assertEquals(firing.getStartsAt(), Instant.parse(a.path("startsAt").asText()));
                    assertEquals(WebhookTarget.fingerprint(firing.getLabels()), a.path("fingerprint").asText(),
                            "our webhook fingerprint is Alertmanager's");
                }

                // 10 s: ten times resolve_timeout and more than twice the 4 s endsAt of a single post
                Instant firstEndsAt = Instant.parse(active(am1, "checkout").path("endsAt").asText());
                List<Instant> endsAts = new ArrayList<>();
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (System.nanoTime() < until) {
                    for (LocalAlertmanager am : List.of(am1, am2)) {
                        JsonNode a = active(am, "checkout");
                        assertNotNull(a, "still active in " + am.url() + " at " + Instant.now());
                        assertEquals("active", a.path("status").path("state").asText());
                        endsAts.add(Instant.parse(a.path("endsAt").asText()));
                    }
                    Thread.sleep(500);
                }
                Instant lastEndsAt = endsAts.get(endsAts.size() - 1);
                assertTrue(lastEndsAt.isAfter(firstEndsAt.plusSeconds(5)), "re-sends moved endsAt on: " + firstEndsAt + " -> " + lastEndsAt);
                assertTrue(n.metrics().count("burnrate_notifier_resends_total", "target", "alertmanager-1", "outcome", "accepted") >= 5);

                Instant resolvedAt = Instant.now().minusSeconds(1);
                TestKafka.send(producer, topic, TestKafka.resolved(firing, resolvedAt));
                for (LocalAlertmanager am : List.of(am1, am2)) {
                    await("the alert resolved in " + am.url(), Duration.ofSeconds(10), () -> active(am, "checkout") == null);
                }
                assertTrue(Instant.now().isBefore(lastEndsAt), "resolved by the resolve record, not by endsAt running out");
                // no re-send revives it
                Thread.sleep(2500);
                assertEquals(null, active(am1, "checkout"));
            }
        }
    }

    /** The service's alert among the active ones (GET /api/v2/alerts leaves out resolved alerts), or null. */
    private static JsonNode active(LocalAlertmanager am, String service) {
        return find(get(am, "/api/v2/alerts?active=true&silenced=false&inhibited=false"), service);
    }

    private static JsonNode find(JsonNode alerts, String service) {
        for (JsonNode a : alerts) if (service.equals(a.path("labels").path("service").asText())) return a;
        return null;
    }

    private static JsonNode get(LocalAlertmanager am, String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(am.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("GET " + path, e);
        }
    }
}
