package dev.burnrate.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.app.ApiFixture;
import dev.burnrate.app.TopologyHarness;
import com.fasterxml.jackson.databind.JsonNode;
import dev.burnrate.slo.BurnRate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The HTTP API over real state: see {@link ApiFixture}. */
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
class QueryApiTest {
    static final long MIN = ApiFixture.MIN;
    static final long T0 = ApiFixture.T0;
    static final String TOKEN = ApiFixture.TOKEN;
    /** fast-burn: the 1h window holds 7560 requests and needs x/5 > 544.32 errors, x s into the incident: 2730 s */
    static final long FIRED_AFTER = 2730_000;

    ApiFixture f;
    TopologyHarness h;
    int port;
    final HttpClient client = HttpClient.newHttpClient();

    @org.junit.jupiter.api.BeforeAll
    void start() {
        f = new ApiFixture();
        h = f.h;
        port = f.port;
    }

    @org.junit.jupiter.api.AfterAll
    void stop() {
        f.close();
    }

    HttpResponse<String> get(String path, boolean withToken) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (withToken) b.header("Authorization", "Bearer " + TOKEN);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String path) throws Exception {
        HttpResponse<String> r = get(path, true);
        assertEquals(200, r.statusCode(), r.body());
        return TopologyHarness.JSON.readTree(r.body());
    }

    static JsonNode window(JsonNode windows, String w) {
        for (JsonNode n : windows) if (n.get("window").asText().equals(w)) return n;
        throw new AssertionError("no window " + w + " in " + windows);
    }

    @Test
    void servicesListsEachServiceWithItsWindowsAndFiringAlerts() throws Exception {
        JsonNode body = json("/api/services");
        JsonNode services = body.get("services");
        assertEquals(2, services.size());
        JsonNode checkout = services.get(1);
        assertEquals("checkout", checkout.get("service").asText());
        assertEquals(Instant.ofEpochMilli(T0 + 47 * MIN - 10_000).toString(), checkout.get("asOf").asText(), "last evaluated instant");
        // 5m at T0+46m50s: 600 /api/pay requests with 60 errors, 30 /api/cart requests
        JsonNode fiveMin = window(checkout.get("windows"), "5m");
        assertEquals(630, fiveMin.get("requests").asLong());
        assertEquals(60, fiveMin.get("errors").asLong());
        assertEquals(60 / 630.0 / 0.005, fiveMin.get("burnRate").asDouble(), 1e-9);
        assertEquals(7, checkout.get("windows").size());
        assertTrue(checkout.get("firingAlerts").toString().contains("availability/fast-burn/service=checkout"), checkout.toString());
        assertEquals(0, window(services.get(0).get("windows"), "5m").get("errors").asLong(), "catalog is healthy");
    }

    @Test
    void oneServiceByRouteStatusFamilyCodeAndSloBudget() throws Exception {
        JsonNode d = json("/api/services/checkout?routes=1");
        JsonNode fiveMin = window(d.get("windows"), "5m");
        assertEquals(1, fiveMin.get("routes").size(), "routes=1 limits the list");
        assertEquals(2, fiveMin.get("routesTotal").asInt());
        assertEquals("/api/pay", fiveMin.get("routes").get(0).get("route").asText());
        assertEquals(60, fiveMin.get("routes").get(0).get("errors").asLong());
        assertEquals(60, fiveMin.get("codes5xx").get("503").asLong());
        assertEquals(570, fiveMin.get("statusFamilies").get("2xx").asLong());
        JsonNode slo = d.get("slos").get(0);
        assertEquals("availability", slo.get("name").asText());
        assertEquals(99.5, slo.get("objectivePercent").asDouble(), 1e-9);
        long requests = slo.get("periodRequests").asLong();
        long errors = slo.get("periodErrors").asLong();
        // the period, exact at its recent end, holds everything up to T0+46m50s: 6410 s of 2 /api/pay requests per
        // second and one /api/cart request per 10 s, and 2810 incident seconds of 2 errors per 10 s
        assertEquals(6410 * 2 + 641, requests);
        assertEquals(2810 / 5, errors);
        assertEquals(BurnRate.remainingBudget(requests, errors, 0.995), slo.get("remainingBudget").asDouble(), 1e-9);
        assertEquals(1 - slo.get("remainingBudget").asDouble(), slo.get("budgetBurned").asDouble(), 1e-12);
        assertEquals("30d", slo.get("period").asText());
        assertEquals(Instant.ofEpochMilli(T0 + 47 * MIN - 10_000).minus(java.time.Duration.ofDays(30)).toString(), slo.get("periodStart").asText());
        assertTrue(slo.get("resetsAt").isNull(), "a rolling period never resets");
        JsonNode fast = slo.get("rules").get(0);
        assertEquals("fast-burn", fast.get("rule").asText());
        assertTrue(fast.get("conditionTrue").asBoolean());
        assertEquals(20, fast.get("minRequests").asLong(), "fast-burn's guard on 99.5%: minRequests (1 / 7.2% is less)");
        assertEquals(200, slo.get("rules").get(3).get("minRequests").asLong(), "ticket-slow's: 1 / 0.5%");
        assertEquals("ticket-slow", slo.get("rules").get(3).get("rule").asText());
        assertEquals("firing", d.get("alerts").get(0).get("state").asText());
    }

    @Test
    void timeseriesGivesRequestsAndErrorsPerStep() throws Exception {
        String from = Instant.ofEpochMilli(T0 - 5 * MIN).toString();
        String to = Instant.ofEpochMilli(T0 + 5 * MIN).toString();
        JsonNode ts = json("/api/services/checkout/timeseries?route=/api/pay&step=1m&from=" + from + "&to=" + to);
        JsonNode points = ts.get("points");
        assertEquals(10, points.size());
        assertEquals(120, points.get(0).get("requests").asLong());
        assertEquals(0, points.get(4).get("errors").asLong());
        assertEquals(12, points.get(5).get("errors").asLong(), "incident starts at T0");
        assertEquals(0.1, points.get(9).get("errorRatio").asDouble(), 1e-9);
    }

    @Test
    void alertsListsTheFiringAlertWithItsSeverity() throws Exception {
        JsonNode alerts = json("/api/alerts").get("alerts");
        JsonNode fast = null;
        for (JsonNode a : alerts) if (a.get("rule").asText().equals("fast-burn")) fast = a;
        assertEquals("firing", fast.get("state").asText());
        assertEquals("page", fast.get("severity").asText());
        assertEquals("checkout", fast.get("service").asText());
        assertEquals(Instant.ofEpochMilli(T0 + FIRED_AFTER).toString(), fast.get("firedAt").asText());
    }

    @Test
    void burnRatesPerStepAreWhatTheRulesRead() throws Exception {
        String from = Instant.ofEpochMilli(T0 - 20 * MIN).toString();
        String to = Instant.ofEpochMilli(T0 + 50 * MIN).toString();
        JsonNode b = json("/api/services/checkout/burnrates?step=10s&from=" + from + "&to=" + to);
        assertEquals("availability", b.get("slo").asText());
        assertEquals("fast-burn", b.get("rules").get(0).get("rule").asText());
        assertEquals(14.4, b.get("rules").get(0).get("threshold").asDouble(), 1e-9);
        assertEquals("[\"1h\",\"5m\"]", b.get("rules").get(0).get("windows").toString());
        JsonNode points = b.get("points");
        // up to the last evaluated instant T0+46m50s, not beyond
        assertEquals(Instant.ofEpochMilli(T0 + 47 * MIN - 10_000).toString(), points.get(points.size() - 1).get("t").asText());
        // the last point: exactly the fast-burn rule's windows of the service detail
        JsonNode last = points.get(points.size() - 1).get("burnRates");
        JsonNode fast = json("/api/services/checkout").get("slos").get(0).get("rules").get(0).get("windows");
        assertEquals(fast.get(0).get("burnRate").asDouble(), last.get("1h").asDouble(), 1e-9);
        assertEquals(fast.get(1).get("burnRate").asDouble(), last.get("5m").asDouble(), 1e-9);
        // older points: healthy before T0 (1m buckets still hold those 5 minutes), 60 errors in 630 requests mid-incident
        assertEquals(0.0, point(points, T0 - 10 * MIN).get("5m").asDouble(), 1e-9);
        assertEquals(60 / 630.0 / 0.005, point(points, T0 + 30 * MIN).get("5m").asDouble(), 1e-9);
        // a 1d window at T0-20m: the 1h buckets of the day before are kept, so it has a value (no errors then)
        assertEquals(0.0, point(points, T0 - 20 * MIN).get("1d").asDouble(), 1e-9);
        // 7h back: no tier that serves 5m (10s, 1m, 5m buckets) reaches there any more; 1h buckets serve the 1d window
        JsonNode old = json("/api/services/checkout/burnrates?step=1h&from=" + Instant.ofEpochMilli(T0 + 47 * MIN - 7 * 60 * MIN) + "&to=" + to)
                .get("points").get(0).get("burnRates");
        assertTrue(old.get("5m").isNull(), old.toString());
        assertEquals(0.0, old.get("1d").asDouble(), 1e-9);
        assertEquals(404, get("/api/services/checkout/burnrates?slo=nope", true).statusCode());
    }

    static JsonNode point(JsonNode points, long t) {
        for (JsonNode p : points) if (p.get("t").asText().equals(Instant.ofEpochMilli(t).toString())) return p.get("burnRates");
        throw new AssertionError("no point at " + Instant.ofEpochMilli(t));
    }

    @Test
    void alertHistoryHasEachEpisodeWithItsEvidenceAndALinkToThePage() throws Exception {
        JsonNode episodes = json("/api/alerts/history?service=checkout").get("episodes");
        JsonNode fast = null;
        for (JsonNode e : episodes) if (e.get("rule").asText().equals("fast-burn")) fast = e;
        assertEquals(Instant.ofEpochMilli(T0 + FIRED_AFTER).toString(), fast.get("firedAt").asText());
        assertTrue(fast.get("endsAt").isNull(), "still firing");
        assertEquals("/api/pay", fast.get("firing").get("topRoutes").get(0).get("route").asText());
        assertEquals(503, fast.get("firing").get("topStatusCodes").get(0).get("code").asInt());
        assertEquals("http://localhost:8080/ui/?service=checkout&at=" + Instant.ofEpochMilli(T0 + FIRED_AFTER)
                + "&alert=availability%2Ffast-burn%2Fservice%3Dcheckout", fast.get("generatorURL").asText());
        assertEquals(0, json("/api/alerts/history?service=catalog").get("episodes").size());
        String before = Instant.ofEpochMilli(T0).toString();
        assertEquals(0, json("/api/alerts/history?service=checkout&to=" + before).get("episodes").size(), "nothing fired before the incident");
        assertEquals(401, get("/api/alerts/history", false).statusCode());
    }

    @Test
    void thePageAndItsChartLibraryAreServedWithoutTheToken() throws Exception {
        HttpResponse<String> page = get("/ui/", false);
        assertEquals(200, page.statusCode());
        Matcher lib = Pattern.compile("src=\"(/webjars/uplot/[^\"]+)\"").matcher(page.body());
        assertTrue(lib.find(), "the page loads uPlot from the WebJar");
        assertEquals(200, get(lib.group(1), false).statusCode(), lib.group(1) + " is served from the jar");
        assertEquals(200, get("/ui/page.js", false).statusCode());
    }

    @Test
    void badParametersUnknownServicesAndMissingTokenGetClearErrors() throws Exception {
        assertEquals(401, get("/api/services", false).statusCode());
        assertEquals(404, get("/api/services/nope", true).statusCode());
        assertTrue(get("/api/services/nope", true).body().contains("no such service"));
        assertEquals(404, get("/api/services/checkout/timeseries?route=/nope", true).statusCode());
        HttpResponse<String> badStep = get("/api/services/checkout/timeseries?step=abc", true);
        assertEquals(400, badStep.statusCode());
        assertTrue(badStep.body().contains("'step' is not a duration"), badStep.body());
        assertEquals(400, get("/api/services/checkout/timeseries?step=15s", true).statusCode(), "not a multiple of 10s");
        assertEquals(400, get("/api/services/checkout/timeseries?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", true).statusCode());
        HttpResponse<String> tooMany = get("/api/services/checkout/timeseries?step=10s&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z", true);
        assertEquals(400, tooMany.statusCode());
        assertTrue(tooMany.body().contains("query.max.points"), tooMany.body());
        assertEquals(400, get("/api/services/checkout/timeseries?from=yesterday", true).statusCode());
        assertEquals(400, get("/api/services/checkout?routes=0", true).statusCode());
        assertEquals(400, get("/api/services/checkout?routes=many", true).statusCode());
        assertEquals(200, get("/health", false).statusCode());
        assertEquals(200, get("/ready", false).statusCode());
    }

    @Test
    void duringARebalanceQueriesSayTheyCannotAnswerYet() throws Exception {
        f.stable = false;
        try {
            for (String path : List.of("/api/services", "/api/alerts", "/api/services/checkout")) {
                HttpResponse<String> r = get(path, true);
                assertEquals(503, r.statusCode(), path);
                assertEquals("1", r.headers().firstValue("Retry-After").orElse(""), path);
                assertTrue(r.body().contains("rebalancing"), r.body());
            }
        } finally {
            f.stable = true;
        }
        assertEquals(200, get("/api/services", true).statusCode());
    }

    @Test
    void aListMissingAPartitionInTransitIsNotPresentedAsComplete() throws Exception {
        // every instance RUNNING, yet partition 1 is between instances (revoked from one, restoring on the other)
        f.partitions = 2;
        try {
            for (String path : List.of("/api/services", "/api/alerts")) {
                HttpResponse<String> r = get(path, true);
                assertEquals(503, r.statusCode(), path);
                assertEquals("1", r.headers().firstValue("Retry-After").orElse(""), path);
                assertTrue(r.body().contains("partition(s) [1] are moving between instances"), r.body());
            }
        } finally {
            f.partitions = 1;
        }
        assertEquals(200, get("/api/alerts", true).statusCode());
    }

    @Test
    void metricsCountersMoveAsEventsDeadLettersAndAlertsFlow() throws Exception {
        String before = get("/metrics", false).body();
        double ingested = metric(before, "burnrate_events_ingested_total", "");
        assertEquals(h.metrics.ingestedCount(), ingested);
        assertEquals(1.0, metric(before, "burnrate_dead_letters_total", "reason=\"undecodable\""));
        assertTrue(metric(before, "burnrate_alerts_emitted_total", "status=\"firing\"") >= 1.0);
        assertEquals(60 / 630.0, metric(before, "burnrate_sli_error_ratio", "service=\"checkout\",window=\"5m\""), 1e-9);
        assertEquals(2.0, metric(before, "burnrate_alert_state", "rule=\"fast-burn\",service=\"checkout\""), "firing");
        JsonNode slo = json("/api/services/checkout").get("slos").get(0);
        assertEquals(slo.get("remainingBudget").asDouble(), metric(before, "burnrate_slo_error_budget_remaining", "service=\"checkout\",slo=\"availability\""), 1e-9);
        assertEquals(1.0, metric(before, "burnrate_slo_error_budget_remaining", "service=\"catalog\",slo=\"availability\""), 1e-9);
        assertEquals(slo.get("budgetBurned").asDouble(), metric(before, "burnrate_slo_error_budget_burned", "service=\"checkout\",slo=\"availability\""), 1e-9);
        assertTrue(slo.get("budgetBurned").asDouble() > 0, "checkout has burned some budget: " + slo);

        h.send(T0 + 47 * MIN + 1, "checkout", "/api/pay", 200);
        h.sendRaw("{\"status\":200}".getBytes(StandardCharsets.UTF_8), T0);
        String after = get("/metrics", false).body();
        assertEquals(ingested + 1, metric(after, "burnrate_events_ingested_total", ""));
        assertEquals(1.0, metric(after, "burnrate_dead_letters_total", "reason=\"missing-service\""));
    }

    /** The value of one sample of the Prometheus text format; labels "" for a metric without any. */
    static double metric(String scrape, String name, String labels) {
        Pattern p = labels.isEmpty() ? Pattern.compile("(?m)^" + name + " ([0-9.eE+-]+)$")
                : Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} ([0-9.eE+-]+)$");
        Matcher m = p.matcher(scrape);
        while (m.find()) {
            if (labels.isEmpty()) return Double.parseDouble(m.group(1));
            boolean all = true;
            for (String l : labels.split(",")) all &= m.group(1).contains(l);
            if (all) return Double.parseDouble(m.group(2));
        }
        throw new AssertionError("no sample " + name + "{" + labels + "} in /metrics");
    }
}
