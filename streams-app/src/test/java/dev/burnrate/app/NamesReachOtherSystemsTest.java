package dev.burnrate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.burnrate.ingest.DeadLetters;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Service and route names reach Prometheus' text format, the alert record and the HTTP API. Names with control
 * characters are rejected at ingest (dead letter "invalid-name", see ingest.Names); every other name, however odd
 * (quotes, backslashes, markup, emoji), goes through each of them intact and escaped by that output's rules.
 */
class NamesReachOtherSystemsTest {
    static final String ODD = "pay \"v2\" \\ <b>&amp; ünï 🔥";
    static final String ODD_ROUTE = "/api/\"x\"\\y";
    static final String NUL = "pay\u0000ment";
    static final String NEWLINE = "pay\nburnrate_forged_metric 1";
    static ApiFixture f;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void feed() {
        // the odd service fails half of its requests (its alerts fire); two bad names try the same in every bucket
        f = new ApiFixture((h, bucket) -> {
            for (int i = 0; i < 4; i++) h.sendRaw(record(ODD, ODD_ROUTE, i % 2 == 0 ? 503 : 200, bucket + 3 + i), bucket + 3 + i);
            h.sendRaw(record(NUL, "/x", 503, bucket + 8), bucket + 8);
            h.sendRaw(record("checkout", "/a\u001b[31m", 503, bucket + 9), bucket + 9);
            h.sendRaw(record(NEWLINE, "/x", 503, bucket + 9), bucket + 9);
        });
    }

    @AfterAll
    static void close() {
        f.close();
    }

    static byte[] record(String service, String route, int status, long ts) {
        ObjectNode n = TopologyHarness.JSON.createObjectNode().put("timestamp", ts).put("service", service).put("route", route)
                .put("method", "GET").put("status", status);
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.port + path))
                .header("Authorization", "Bearer " + ApiFixture.TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void namesWithControlCharactersAreDeadLetteredWithTheirReason() {
        List<String> reasons = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        f.h.deadLetters.readRecordsToList().forEach(r -> {
            reasons.add(DeadLetters.header(r.headers(), DeadLetters.REASON));
            messages.add(DeadLetters.header(r.headers(), DeadLetters.MESSAGE));
        });
        // three bad names per bucket, and the fixture's one "not json"
        long invalid = reasons.stream().filter("invalid-name"::equals).count();
        assertEquals(reasons.size() - 1, invalid, reasons.stream().distinct().toList().toString());
        assertTrue(invalid > 0 && invalid % 3 == 0, "three per bucket: " + invalid);
        assertTrue(messages.contains("service name has U+0000 at index 3"), messages.subList(0, 5).toString());
        assertTrue(messages.contains("route name has U+001B at index 2"), messages.subList(0, 5).toString());
        assertTrue(messages.contains("service name has U+000A at index 3"), messages.subList(0, 5).toString());
    }

    @Test
    void prometheusOutputStaysParseableAndCarriesTheOddNameIntact() throws Exception {
        String body = get("/metrics").body();
        assertFalse(body.contains("\u0000") || body.contains("\u001b") || body.contains("burnrate_forged_metric"), "a rejected name reached /metrics");
        // every line: a comment or a sample, name{label="value",...} number, with only \\, \" and \n escaped in values
        Pattern sample = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*\\})? \\S+( \\d+)?");
        for (String line : body.split("\n", -1)) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            assertTrue(sample.matcher(line).matches(), "not a Prometheus sample line: " + line);
        }
        Matcher m = Pattern.compile("burnrate_sli_burn_rate\\{service=\"((?:[^\"\\\\]|\\\\.)*)\",window=\"5m\"").matcher(body);
        List<String> services = new ArrayList<>();
        while (m.find()) services.add(m.group(1).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
        assertTrue(services.contains(ODD), services.toString());
        assertEquals(3, services.size(), "checkout, catalog and the odd one, nothing else: " + services);
    }

    @Test
    void theAlertRecordCarriesTheOddNameIntact() throws Exception {
        List<JsonNode> episodes = new ArrayList<>();
        for (JsonNode e : TopologyHarness.JSON.readTree(get("/api/alerts/history").body()).get("episodes")) episodes.add(e);
        assertTrue(episodes.stream().anyMatch(e -> e.get("id").asText().endsWith("service=" + ODD)), episodes.toString());
        JsonNode firing = TopologyHarness.JSON.readTree(get("/api/alerts").body()).get("alerts");
        boolean found = false;
        for (JsonNode a : firing) found |= a.get("service").asText().equals(ODD);
        assertTrue(found, firing.toString());
    }

    @Test
    void theHttpApiAnswersForTheOddNameAndNeverListsARejectedOne() throws Exception {
        List<String> listed = new ArrayList<>();
        TopologyHarness.JSON.readTree(get("/api/services").body()).get("services").forEach(s -> listed.add(s.get("service").asText()));
        assertEquals(List.of("catalog", "checkout", ODD), listed.stream().sorted().toList());
        HttpResponse<String> one = get("/api/services/" + URLEncoder.encode(ODD, StandardCharsets.UTF_8).replace("+", "%20") + "?routes=5");
        assertEquals(200, one.statusCode(), one.body());
        JsonNode d = TopologyHarness.JSON.readTree(one.body());
        assertEquals(ODD, d.get("service").asText());
        List<String> routes = new ArrayList<>();
        d.get("windows").get(0).get("routes").forEach(r -> routes.add(r.get("route").asText()));
        assertEquals(List.of(ODD_ROUTE), routes);
    }
}
