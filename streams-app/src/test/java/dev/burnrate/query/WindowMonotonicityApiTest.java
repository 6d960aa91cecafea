package dev.burnrate.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.app.ApiFixture;
import dev.burnrate.app.TopologyHarness;
import com.fasterxml.jackson.databind.JsonNode;
import dev.burnrate.core.Durations;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The windows of a running processor as the on-call engineer reads them over the query API ({@code /api/services}
 * and {@code /api/services/{service}}), at several moments after traffic starts: a longer window never holds fewer
 * requests (or errors) than a shorter one at the same instant, and a window reaching back before the first event
 * holds exactly what has been seen up to its instant ({@code asOf}).
 *
 * <p>Traffic starts at 00:17:03, off every bucket boundary, on two services: checkout with 10, 20 or 30 requests
 * per 10 seconds (changing every minute), every 7th a 503, and catalog with one request per 10 seconds. No event time
 * is a multiple of 10 s, so which end of a window is inclusive does not matter. The test keeps every event and
 * counts the expected totals itself.
 */
class WindowMonotonicityApiTest {
    static final long START = Instant.parse("2026-03-02T00:17:03Z").toEpochMilli();
    static final long MIN = 60_000;
    /** Moments to look, after the start: right after it, within the first hour (the 40 minutes), past 2h. */
    static final long[] LOOK_AT = {MIN, 7 * MIN, 40 * MIN, 73 * MIN, 150 * MIN};

    final List<long[]> events = new ArrayList<>(); // {ts, service 0 = checkout / 1 = catalog, error 0/1}
    final HttpClient client = HttpClient.newHttpClient();

    @Test
    void longerWindowsNeverHoldLessAndWindowsReachingBeforeTheStartHoldEverythingSeen() throws Exception {
        List<String> violations = new ArrayList<>();
        try (ApiFixture f = new ApiFixture(Instant.ofEpochMilli(START), h -> { })) {
            long bucket = Math.floorDiv(START, 10_000) * 10_000;
            for (long look : LOOK_AT) {
                for (; bucket < START + look; bucket += 10_000) feed(f.h, bucket);
                JsonNode services = json(f, "/api/services").get("services");
                assertEquals(2, services.size(), services.toString());
                for (JsonNode s : services) {
                    String name = s.get("service").asText();
                    check("/api/services after " + Durations.format(Duration.ofMillis(look)), name, s.get("asOf").asText(), s.get("windows"), violations);
                    JsonNode detail = json(f, "/api/services/" + name);
                    check("/api/services/" + name + " after " + Durations.format(Duration.ofMillis(look)), name, detail.get("asOf").asText(),
                            detail.get("windows"), violations);
                }
            }
        }
        assertTrue(violations.isEmpty(), violations.size() + " violation(s):\n" + String.join("\n", violations));
    }

    /** One 10-second bucket of both services' traffic; the wall clock keeps pace. */
    private void feed(TopologyHarness h, long bucket) {
        int n = 10 * (1 + (int) (bucket / MIN % 3));
        for (int i = 0; i < n; i++) {
            long ts = bucket + 250 + i * 9_500L / n;
            if (ts < START) continue;
            boolean error = events.size() % 7 == 0;
            h.send(ts, "checkout", "/api/pay", error ? 503 : 200);
            events.add(new long[]{ts, 0, error ? 1 : 0});
        }
        if (bucket + 5_000 >= START) {
            h.send(bucket + 5_000, "catalog", "/products", 200);
            events.add(new long[]{bucket + 5_000, 1, 0});
        }
        h.driver.advanceWallClockTime(Duration.ofSeconds(10));
    }

    private void check(String where, String service, String asOfText, JsonNode windows, List<String> violations) {
        long asOf = Instant.parse(asOfText).toEpochMilli();
        int svc = service.equals("checkout") ? 0 : 1;
        long first = Long.MAX_VALUE;
        long seen = 0;
        long seenErrors = 0;
        for (long[] e : events) {
            if (e[1] != svc) continue;
            first = Math.min(first, e[0]);
            if (e[0] <= asOf) {
                seen++;
                seenErrors += e[2];
            }
        }
        List<JsonNode> sorted = new ArrayList<>();
        windows.forEach(sorted::add);
        sorted.sort(Comparator.comparing(w -> Durations.parse(w.get("window").asText())));
        String at = where + ", " + service + " as of " + asOfText + " (" + Durations.format(Duration.ofMillis(asOf - START)) + " after the start)";
        JsonNode prev = null;
        for (JsonNode w : sorted) {
            long requests = w.get("requests").asLong();
            long errors = w.get("errors").asLong();
            if (prev != null && (requests < prev.get("requests").asLong() || errors < prev.get("errors").asLong())) {
                violations.add(String.format("%s: %s holds %d requests, %d errors, fewer than %s (%d requests, %d errors)", at,
                        w.get("window").asText(), requests, errors, prev.get("window").asText(), prev.get("requests").asLong(), prev.get("errors").asLong()));
            }
            if (asOf - Durations.parse(w.get("window").asText()).toMillis() < first && (requests != seen || errors != seenErrors)) {
                violations.add(String.format("%s: %s reaches back before the first event but holds %d requests, %d errors; seen so far: %d, %d",
                        at, w.get("window").asText(), requests, errors, seen, seenErrors));
            }
            prev = w;
        }
    }

    private JsonNode json(ApiFixture f, String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.port + path))
                .header("Authorization", "Bearer " + ApiFixture.TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return TopologyHarness.JSON.readTree(r.body());
    }
}
