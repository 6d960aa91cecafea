package dev.burnrate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.burnrate.slo.SloConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the processor on the real broker share the work: each owns some services' partitions. Every
 * service must be answered correctly from either instance (forwarded to its owner when needed), and the service
 * and active-alert lists must be complete from either.
 */
class QueryIntegrationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long MIN = 60_000;
    final HttpClient client = HttpClient.newHttpClient();

    @Test
    void eitherInstanceAnswersForEveryServiceAndListsEveryAlert() throws Exception {
        Map<String, String> cfg = KafkaTestSupport.isolatedConfig("query");
        Map<String, String> cfg2 = new HashMap<>(cfg);
        cfg2.put("state.dir", KafkaTestSupport.tempDir("it-state2").toString());
        long s = Instant.parse("2026-08-01T00:00:00Z").toEpochMilli();
        long t0 = s + 60 * MIN;
        List<String> services = List.of("checkout", "catalog", "auth", "search", "cart", "payments", "profile", "inventory");
        // failing: checkout and payments (20% 503 for 30 minutes)
        List<Scenario.Rec> recs = Scenario.generate(s, t0 + 30 * MIN, services, 1, 4, List.of(
                new Scenario.Incident("checkout", t0, t0 + 30 * MIN, 5, 503),
                new Scenario.Incident("payments", t0, t0 + 30 * MIN, 5, 503)));
        try (KafkaTestSupport.Running a = KafkaTestSupport.start(cfg, SloConfig.defaultConfig());
             KafkaTestSupport.Running b = KafkaTestSupport.start(cfg2, SloConfig.defaultConfig());
             KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer()) {
            KafkaTestSupport.await("both instances own partitions", Duration.ofSeconds(90),
                    () -> a.app.streams().state().isRunningOrRebalancing() && b.app.streams().state().isRunningOrRebalancing()
                            && ownsWindows(a) && ownsWindows(b));
            for (Scenario.Rec r : recs) producer.send(new ProducerRecord<>(cfg.get("input.topic"), r.partition(), r.ts(), null, r.value()));
            producer.flush();
            KafkaTestSupport.await("fast-burn firing on both failing services", Duration.ofSeconds(180),
                    () -> fastBurnCount(a) == 2 && fastBurnCount(b) == 2);
            KafkaTestSupport.await("all ingested", Duration.ofSeconds(60),
                    () -> a.metrics.ingestedCount() + b.metrics.ingestedCount() >= recs.size());
            // the last instant every partition passes: the slowest input partition's newest event, rounded down
            long last = Long.MAX_VALUE;
            for (int p = 0; p < 4; p++) {
                final int part = p;
                last = Math.min(last, recs.stream().filter(r -> r.partition() == part).mapToLong(Scenario.Rec::ts).max().orElseThrow());
            }
            String lastInstant = Instant.ofEpochMilli(Math.floorDiv(last, 10_000) * 10_000).toString();
            KafkaTestSupport.await("every service evaluated up to " + lastInstant, Duration.ofSeconds(60), () -> {
                try {
                    for (JsonNode n : get(a.app.httpPort(), "/api/services").get("services")) {
                        if (!n.get("asOf").asText().equals(lastInstant)) return false;
                    }
                    return true;
                } catch (Exception | AssertionError e) {
                    return false;
                }
            });

            int[] ports = {a.app.httpPort(), b.app.httpPort()};
            Map<String, String> answers = new HashMap<>();
            for (int port : ports) {
                JsonNode list = get(port, "/api/services");
                assertEquals(2, list.get("instances").asInt());
                TreeSet<String> names = new TreeSet<>();
                list.get("services").forEach(n -> names.add(n.get("service").asText()));
                assertEquals(new TreeSet<>(services), names, "complete list from port " + port);
                for (String svc : services) {
                    JsonNode d = get(port, "/api/services/" + svc);
                    JsonNode fiveMin = d.get("windows").get(0);
                    assertEquals("5m", fiveMin.get("window").asText());
                    // 1 req/s over the 5 minutes before the last evaluated instant
                    assertEquals(300, fiveMin.get("requests").asLong(), svc + " from port " + port);
                    boolean failing = svc.equals("checkout") || svc.equals("payments");
                    assertEquals(failing ? 60 : 0, fiveMin.get("errors").asLong(), svc + " errors from port " + port);
                    d.get("windows").forEach(w -> ((com.fasterxml.jackson.databind.node.ObjectNode) w).remove("routes"));
                    String same = answers.putIfAbsent(svc, d.toString());
                    if (same != null) assertEquals(same, d.toString(), "both instances give the same answer for " + svc);
                }
            }
            assertTrue(ownsWindows(a) && ownsWindows(b), "the work is really split: answers came from both owners");

            // each instance reads the whole alerts topic: either one has every episode, with its evidence
            for (int port : ports) {
                KafkaTestSupport.await("alert history on port " + port, Duration.ofSeconds(30), () -> {
                    try {
                        return historyHasFastBurn(port, "checkout") && historyHasFastBurn(port, "payments");
                    } catch (Exception | AssertionError e) {
                        return false;
                    }
                });
            }
            JsonNode episode = get(a.app.httpPort(), "/api/alerts/history?service=checkout").get("episodes").get(0);
            assertEquals(503, episode.get("firing").get("topStatusCodes").get(0).get("code").asInt(), episode.toString());

            // every metric the Grafana dashboard queries is in the instances' /metrics (alert states and SLIs are on the
            // instance that owns the service: both failing services may live on one)
            StringBuilder scrape = new StringBuilder();
            for (int port : ports) {
                scrape.append(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            }
            JsonNode dashboard = JSON.readTree(Path.of("..", "config", "grafana", "burnrate-dashboard.json").toFile());
            TreeSet<String> queried = new TreeSet<>();
            for (JsonNode panel : dashboard.get("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    Matcher m = Pattern.compile("\\b((?:burnrate|kafka)_[a-z_]+)\\b").matcher(target.get("expr").asText());
                    while (m.find()) queried.add(m.group(1));
                }
            }
            assertTrue(queried.size() >= 10, "the dashboard queries " + queried);
            for (String metric : queried) {
                assertTrue(Pattern.compile("(?m)^" + metric + "[{ ]").matcher(scrape).find(), "dashboard metric " + metric + " is not in either instance's /metrics");
            }
        }
    }

    private boolean historyHasFastBurn(int port, String service) throws Exception {
        for (JsonNode e : get(port, "/api/alerts/history?service=" + service).get("episodes")) {
            if (e.get("rule").asText().equals("fast-burn") && e.get("firing").get("topRoutes").size() > 0) return true;
        }
        return false;
    }

    private static boolean ownsWindows(KafkaTestSupport.Running r) {
        return r.app.streams().metadataForLocalThreads().stream()
                .anyMatch(t -> t.activeTasks().stream().anyMatch(task -> task.topicPartitions().stream()
                        .anyMatch(tp -> tp.topic().endsWith("-by-service"))));
    }

    private int fastBurnCount(KafkaTestSupport.Running r) {
        try {
            HttpResponse<String> resp = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.app.httpPort() + "/api/alerts")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) return -1;
            List<String> ids = new ArrayList<>();
            JSON.readTree(resp.body()).get("alerts").forEach(n -> {
                if (n.get("rule").asText().equals("fast-burn") && n.get("state").asText().equals("firing")) ids.add(n.get("id").asText());
            });
            return ids.size();
        } catch (Exception e) {
            return -1;
        }
    }

    private JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + " on " + port + ": " + r.body());
        return JSON.readTree(r.body());
    }
}
