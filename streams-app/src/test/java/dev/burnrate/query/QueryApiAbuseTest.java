package dev.burnrate.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.app.ApiFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The HTTP API against what the fault harness's abuse scenario found (RELIABILITY.md): instants at the edge of what a
 * long holds, and concurrent scrapes. See {@link ApiFixture}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiAbuseTest {
    ApiFixture f;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() {
        f = new ApiFixture();
    }

    @AfterAll
    void stop() {
        f.close();
    }

    HttpResponse<String> get(String path) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.port + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + ApiFixture.TOKEN).build();
        return client.send(r, HttpResponse.BodyHandlers.ofString());
    }

    /** Ranges near the end of a long overflowed the step arithmetic: an endless loop filling the heap, a 500. */
    @Test
    void instantsAndStepsNoLongCanHoldGetA400() throws Exception {
        for (String q : List.of("from=9223372036854775000&to=9223372036854775807", "from=-9223372036854775808&to=-9223372036854775000",
                "to=+1000000000-01-01T00:00:00Z", "from=-999999999-01-01T00:00:00Z", "from=-292275055-05-16T16:47:04.192Z&to=0",
                "step=999999999999d", "step=9999999999999h")) {
            for (String endpoint : List.of("timeseries", "burnrates")) {
                HttpResponse<String> r = get("/api/services/checkout/" + endpoint + "?" + q);
                assertEquals(400, r.statusCode(), endpoint + "?" + q + ": " + r.body());
            }
        }
        HttpResponse<String> history = get("/api/alerts/history?to=+1000000000-01-01T00:00:00Z");
        assertEquals(400, history.statusCode(), history.body());
        assertEquals(200, get("/api/services/checkout/timeseries").statusCode(), "the API still answers");
    }

    /** Every scrape reads the stores: a flood of requests (200 at once here) must share scrapes, not make one each. */
    @Test
    void aFloodOfScrapesSharesThem() throws Exception {
        java.util.concurrent.atomic.AtomicInteger refreshes = new java.util.concurrent.atomic.AtomicInteger();
        dev.burnrate.query.HttpApi api = new dev.burnrate.query.HttpApi(new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT), new dev.burnrate.query.HttpApi.Limits(Duration.ofDays(30), 1000, 100,
                Duration.ofSeconds(10)), "");
        int port = api.start("127.0.0.1", 0);
        api.attach(null, () -> null, () -> {
            refreshes.incrementAndGet();
            try {
                Thread.sleep(20); // reading the stores takes a while
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                statuses.add(pool.submit(() -> client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()));
            }
            for (Future<Integer> s : statuses) assertEquals(200, s.get());
        } finally {
            pool.shutdownNow();
            api.close();
        }
        assertTrue(refreshes.get() <= 100, refreshes.get() + " refreshes for 200 scrapes");
    }

    /** Concurrent scrapes refreshed the SLI gauges at the same time, registered a series twice, and broke /metrics for good. */
    @Test
    void concurrentScrapesLeaveMetricsWorking() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 400; i++) statuses.add(pool.submit(() -> get("/metrics").statusCode()));
            for (Future<Integer> s : statuses) assertEquals(200, s.get());
        } finally {
            pool.shutdownNow();
        }
        HttpResponse<String> after = get("/metrics");
        assertEquals(200, after.statusCode(), after.body());
        assertTrue(after.body().contains("burnrate_sli_requests{service=\"checkout\",window=\"5m\"}"), "the SLI gauges are there");
    }
}
