package dev.burnrate.notifier;

import static dev.burnrate.notifier.TestKafka.await;
import static dev.burnrate.notifier.TestKafka.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.burnrate.notifier.targets.WebhookTarget;
import dev.burnrate.schema.SloAlert;
import dev.burnrate.serde.AlertAvroSerde;
import dev.burnrate.serde.SchemaResolver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * The notifier on the real embedded broker delivering to local HTTP servers standing in for PagerDuty, Slack and a
 * webhook: each target's payload against its documented format, episodes and dedup keys, severity mapping and
 * routing keys per label, JSON and Avro records alike; retries on 429 / 500 / timeout, a final 400 and an
 * unreadable record in the dead-letter topic with the reason, offsets committed only once every target is done.
 */
class NotifierIntegrationTest {
    private static final String DEFAULT_KEY = "R0000000000000000000000000000000";
    private static final String PAYMENTS_KEY = "R1111111111111111111111111111111";

    private static Notifier start(Map<String, String> cfg) throws Exception {
        return Notifier.start(NotifierConfig.ofMap(cfg), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), System.out);
    }

    @Test
    void deliversEachTransitionInEachTargetsFormat() throws Exception {
        Map<String, String> cfg = TestKafka.isolatedConfig("formats", 1);
        String topic = cfg.get("alerts.topic");
        try (FakeReceiver pd = new FakeReceiver(202); FakeReceiver slack = new FakeReceiver(200); FakeReceiver hook = new FakeReceiver(200);
             KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            cfg.put("notifier.pagerduty.url", pd.url("/v2/enqueue").toString());
            cfg.put("notifier.pagerduty.routing.key", DEFAULT_KEY);
            cfg.put("notifier.pagerduty.routing.key.payments", PAYMENTS_KEY);
            cfg.put("notifier.slack.webhook.url", slack.url("/services/T000/B000/XXXX").toString());
            cfg.put("notifier.webhook.url", hook.url("/hook").toString());
            try (Notifier n = start(cfg)) {
                await("ready", Duration.ofSeconds(30), n::ready);
                Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).minusSeconds(600);
                SloAlert first = TestKafka.firing("checkout", t0);
                SloAlert ticket = SloAlert.newBuilder(TestKafka.firing("search", t0)).setId("availability/ticket-slow/service=search")
                        .setDedupKey("d2").setLabels(Map.of("alertname", "availability-ticket-slow", "severity", "ticket", "service", "search",
                                "slo", "availability", "rule", "ticket-slow", "team", "search")).build();
                SloAlert second = TestKafka.firing("checkout", t0.plusSeconds(300));
                TestKafka.send(producer, topic, first);
                // the resolve in Avro (alerts.format=avro), through the processor's own serializer
                byte[] avro = new AlertAvroSerde(SchemaResolver.fromConfig(Map.of())).serializer()
                        .serialize(topic, TestKafka.resolved(first, t0.plusSeconds(120)));
                TestKafka.sendRaw(producer, topic, first.getId(), avro);
                TestKafka.send(producer, topic, ticket);
                TestKafka.send(producer, topic, second);
                await("4 events at each target", Duration.ofSeconds(30), () -> pd.requests() == 4 && slack.requests() == 4 && hook.requests() == 4,
                        () -> pd.requests() + "/" + slack.requests() + "/" + hook.requests());

                List<JsonNode> events = pd.json();
                JsonNode trigger = events.get(0);
                assertEquals(PAYMENTS_KEY, trigger.path("routing_key").asText(), "routing key chosen by the team label");
                assertEquals("trigger", trigger.path("event_action").asText());
                JsonNode payload = trigger.path("payload");
                assertEquals(first.getAnnotations().get("summary"), payload.path("summary").asText());
                assertEquals("checkout", payload.path("source").asText());
                assertEquals("critical", payload.path("severity").asText(), "page -> critical");
                assertEquals(first.getEvaluatedAt(), Instant.parse(payload.path("timestamp").asText()));
                assertEquals(2, payload.path("custom_details").path("evidence").path("windows").size());
                assertEquals("/api/pay", payload.path("custom_details").path("evidence").path("topRoutes").get(0).path("route").asText());
                assertEquals("https://runbooks.example.com/checkout", trigger.path("links").get(0).path("href").asText());
                String dedup = trigger.path("dedup_key").asText();
                assertFalse(dedup.isBlank());

                JsonNode resolve = events.get(1);
                assertEquals("resolve", resolve.path("event_action").asText());
                assertEquals(dedup, resolve.path("dedup_key").asText(), "the resolve closes the same episode");
                assertEquals(PAYMENTS_KEY, resolve.path("routing_key").asText());

                JsonNode other = events.get(2);
                assertEquals(DEFAULT_KEY, other.path("routing_key").asText(), "no key for team=search: the default key");
                assertEquals("warning", other.path("payload").path("severity").asText(), "ticket -> warning");

                JsonNode again = events.get(3);
                assertEquals("trigger", again.path("event_action").asText());
                assertNotEquals(dedup, again.path("dedup_key").asText(), "a new episode after the resolve has a new dedup key");
                for (JsonNode e : events) {
                    assertTrue(Set.of("trigger", "resolve").contains(e.path("event_action").asText()));
                    assertTrue(e.path("dedup_key").asText().length() <= 255);
                    if (e.path("event_action").asText().equals("trigger")) {
                        assertTrue(Set.of("critical", "error", "warning", "info").contains(e.path("payload").path("severity").asText()));
                        assertFalse(e.path("payload").path("source").asText().isBlank());
                    }
                }

                String firingText = slack.json().get(0).path("text").asText();
                assertTrue(firingText.contains("*FIRING*"), firingText);
                assertTrue(firingText.contains("1h 7.82% (15.6x), 5m 27.57% (55.1x)"), firingText);
                assertTrue(firingText.contains("Top failing route: /api/pay"), firingText);
                assertTrue(firingText.contains("Dominant status: 503 (90.30% of errors)"), firingText);
                assertTrue(firingText.contains("Runbook: https://runbooks.example.com/checkout"), firingText);
                String resolvedText = slack.json().get(1).path("text").asText();
                assertTrue(resolvedText.contains("*RESOLVED*") && resolvedText.contains("after 2m0s"), resolvedText);

                JsonNode hookFiring = hook.json().get(0);
                assertEquals("4", hookFiring.path("version").asText());
                assertEquals("firing", hookFiring.path("status").asText());
                assertEquals("burnrate", hookFiring.path("receiver").asText());
                assertTrue(hookFiring.path("groupKey").isTextual() && hookFiring.path("truncatedAlerts").isInt());
                assertEquals("checkout", hookFiring.path("commonLabels").path("service").asText());
                JsonNode alert = hookFiring.path("alerts").get(0);
                assertEquals("firing", alert.path("status").asText());
                assertEquals("0001-01-01T00:00:00Z", alert.path("endsAt").asText());
                assertEquals(first.getStartsAt(), Instant.parse(alert.path("startsAt").asText()));
                assertEquals(WebhookTarget.fingerprint(first.getLabels()), alert.path("fingerprint").asText());
                assertEquals(first.getGeneratorURL(), alert.path("generatorURL").asText());
                JsonNode hookResolved = hook.json().get(1).path("alerts").get(0);
                assertEquals("resolved", hookResolved.path("status").asText());
                assertEquals(t0.plusSeconds(120), Instant.parse(hookResolved.path("endsAt").asText()));

                await("offsets committed", Duration.ofSeconds(10), () -> committed(cfg) == 4);
                String metrics = get(n.httpPort(), "/metrics");
                assertTrue(metrics.contains("burnrate_notifier_delivered_total{target=\"pagerduty\"} 4.0"), metrics);
                assertTrue(metrics.contains("burnrate_notifier_delivery_latency_seconds_count{target=\"slack\"} 4"), metrics);
                assertTrue(metrics.contains("burnrate_notifier_active_alerts 2.0"), "checkout's second episode and search: " + metrics);
                assertEquals("{\"status\":\"ready\"}", get(n.httpPort(), "/ready"));
                assertEquals("{\"status\":\"alive\"}", get(n.httpPort(), "/health"));
            }
        }
    }

    @Test
    void retriesThenDeliversAndDeadLettersWhatFailsFinally() throws Exception {
        Map<String, String> cfg = TestKafka.isolatedConfig("retries", 1);
        String topic = cfg.get("alerts.topic");
        cfg.put("notifier.request.timeout", "3s");
        try (FakeReceiver pd = new FakeReceiver(202).then(429, "1", 0, "{\"status\":\"throttle event\"}").then(500, null, 0, "")
                .then(202, null, 4000, "{}");
             FakeReceiver slack = new FakeReceiver(200).then(400, null, 0, "invalid_payload");
             FakeReceiver hook = new FakeReceiver(200);
             KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            cfg.put("notifier.pagerduty.url", pd.url("/v2/enqueue").toString());
            cfg.put("notifier.pagerduty.routing.key", DEFAULT_KEY);
            cfg.put("notifier.slack.webhook.url", slack.url("/services/T000/B000/XXXX").toString());
            cfg.put("notifier.webhook.url", hook.url("/hook").toString());
            try (Notifier n = start(cfg)) {
                await("ready", Duration.ofSeconds(30), n::ready);
                SloAlert firing = TestKafka.firing("checkout", Instant.now().minusSeconds(60));
                TestKafka.send(producer, topic, firing);
                await("the webhook delivery", Duration.ofSeconds(20), () -> hook.requests() == 1);
                assertEquals(0, committed(cfg), "not committed while PagerDuty is still being retried");
                await("PagerDuty accepting on the 4th attempt", Duration.ofSeconds(30), () -> pd.statuses().size() == 4,
                        () -> pd.statuses().toString());
                assertEquals(List.of(429, 500, 202, 202), pd.statuses(), "429, 500, a timeout (answered late), then accepted");
                assertTrue(hook.times().get(0) < pd.times().get(pd.times().size() - 1), "the webhook did not wait for PagerDuty");
                assertEquals(1, pd.json().stream().map(e -> e.path("dedup_key").asText()).distinct().count(), "every attempt the same event");
                assertEquals(3.0, n.metrics().count("burnrate_notifier_retries_total", "target", "pagerduty"));
                await("committed once every target is done", Duration.ofSeconds(10), () -> committed(cfg) == 1);

                TestKafka.sendRaw(producer, topic, "garbage", "not an alert".getBytes(StandardCharsets.UTF_8));
                await("committed past the unreadable record", Duration.ofSeconds(10), () -> committed(cfg) == 2);
                // a tombstone (someone deleting the key from the compacted topic) is no alert and no dead letter
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, firing.getId().getBytes(StandardCharsets.UTF_8), null)).get();
                await("committed past the tombstone", Duration.ofSeconds(10), () -> committed(cfg) == 3);
                assertEquals(1, hook.requests(), "a tombstone is not delivered");

                List<ConsumerRecord<byte[], byte[]>> dead = TestKafka.readAll(cfg.get("notifier.dlq.topic"));
                assertEquals(2, dead.size(), "slack's 400 and the unreadable record, not the tombstone");
                ConsumerRecord<byte[], byte[]> rejected = dead.get(0);
                assertEquals("rejected", header(rejected, "burnrate.dlq.reason"));
                assertEquals("slack", header(rejected, "burnrate.dlq.target"));
                assertEquals("HTTP 400: invalid_payload", header(rejected, "burnrate.dlq.message"));
                assertEquals(topic, header(rejected, "burnrate.dlq.source.topic"));
                assertEquals("0", header(rejected, "burnrate.dlq.source.offset"));
                assertEquals(firing.getId(), new String(rejected.key(), StandardCharsets.UTF_8));
                assertEquals(firing, new dev.burnrate.notifier.source.AlertDecoder(Map.of()).decode(topic, rejected.value()),
                        "the original record, as it was");
                assertEquals(1, slack.requests(), "a 400 is not retried");
                ConsumerRecord<byte[], byte[]> unreadable = dead.get(1);
                assertEquals("undecodable", header(unreadable, "burnrate.dlq.reason"));
                assertEquals("1", header(unreadable, "burnrate.dlq.source.offset"));
                assertEquals("not an alert", new String(unreadable.value(), StandardCharsets.UTF_8));
                assertEquals(1.0, n.metrics().count("burnrate_notifier_failed_total", "target", "slack", "reason", "rejected"));
            }
        }
    }

    private static long committed(Map<String, String> cfg) {
        try {
            return TestKafka.committed(cfg.get("notifier.group.id"), cfg.get("alerts.topic"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
