package dev.burnrate.app;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.burnrate.slo.AlertRule;
import dev.burnrate.slo.SloConfig;
import dev.burnrate.slo.SloFileLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * SLOs of 7 and 28 days (and 30 days to compare) with the default rules, through the live topology: the burn-rate
 * thresholds come from the period, computed here by hand, and each rule fires at the instant exact windows give.
 *
 * <p>Traffic: 2 requests/s on checkout /api/pay from S (on an hour), 20 per 10-second bucket at bucket + 250 ms +
 * i x 500 ms (never on a multiple of 10 s, so (t - W, t] and [t - W, t) hold the same events); from T0 = S + 1h every
 * 10th request is a 503: 2 errors per bucket, exactly 10%. All three SLOs are 99.9% (budget 0.001), by service, 20
 * requests in the short window (every short window here holds at least 600).
 *
 * <p>Thresholds: burn rate = budget share x period / long window (the SRE workbook's 2% in 1h, 5% in 6h, 10% in 1d,
 * 10% in 3d):
 * <pre>
 *                 fast-burn 1h/5m      slow-burn 6h/30m    ticket-quick 1d/2h   ticket-slow 3d/6h
 *  7d  = 168h     .02x168/1 = 3.36     .05x168/6 = 1.4     .1x168/24 = 0.7      .1x168/72 = 0.2333
 *  28d = 672h     .02x672/1 = 13.44    .05x672/6 = 5.6     .1x672/24 = 2.8      .1x672/72 = 0.9333
 *  30d = 720h     14.4                 6                   3                    1
 * </pre>
 * A window fires when errors/requests > threshold x 0.001. At instant t = T0 + k x 10 s the exact windows hold:
 * 5m 600 requests and 2 min(k, 30) errors; 30m 3600 and 2k; 1h 7200 and 2k; 2h, 6h, 1d and 3d reach back before S,
 * so they hold everything since S: 20 (360 + k) requests and 2k errors (right after start a window holds what has
 * been seen so far). The first k that satisfies both windows of each rule:
 * <pre>
 *  7d  fast   1h: 2k/7200 > .00336 -> k > 12.10; 5m: k > 1.01                          -> k = 13: T0 + 130s
 *      slow   30m: 2k/3600 > .0014 -> k > 2.52; 6h: 2k > .0014 x 20(360+k) -> k > 5.11  -> k = 6:  T0 + 60s
 *      quick  2h = 1d: 2k > .0007 x 20(360+k) -> 1.986k > 5.04 -> k > 2.54              -> k = 3:  T0 + 30s
 *      slow3d 6h = 3d: 2k > .00023333 x 20(360+k) -> 1.99533k > 1.68 -> k > 0.84        -> k = 1:  T0 + 10s
 *  28d fast   1h: 2k/7200 > .01344 -> k > 48.38; 5m: k > 4.03                          -> k = 49: T0 + 490s
 *      slow   30m: k > 10.08; 6h: 2k > .0056 x 20(360+k) -> 1.888k > 40.32 -> k > 21.36  -> k = 22: T0 + 220s
 *      quick  2k > .0028 x 20(360+k) -> 1.944k > 20.16 -> k > 10.37                     -> k = 11: T0 + 110s
 *      slow3d 2k > .00093333 x 20(360+k) -> 1.98133k > 6.72 -> k > 3.39                 -> k = 4:  T0 + 40s
 *  30d fast   1h: 2k/7200 > .0144 -> k > 51.84                                          -> k = 52: T0 + 520s
 * </pre>
 * (A 7-day SLO with the 30-day factor 14.4 would page only once 8.6% of its budget had burned in an hour; here it
 * pages at T0 + 130s, six and a half minutes before the 30-day SLO.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeriodThresholdsTest {
    static final long S = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    static final long T0 = S + 3_600_000;
    static final List<String> RULES = List.of("fast-burn", "slow-burn", "ticket-quick", "ticket-slow");

    SloConfig slos;
    /** The first firing record per "slo/rule". */
    final Map<String, JsonNode> fired = new HashMap<>();

    @BeforeAll
    void run(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("slos.yaml");
        java.nio.file.Files.writeString(file, """
                slos:
                  - {name: weekly, objective: 99.9, period: 7d}
                  - {name: four-weeks, objective: 99.9, period: 28d}
                  - {name: monthly, objective: 99.9, period: 30d}
                """);
        slos = SloFileLoader.load(file);
        try (TopologyHarness h = new TopologyHarness(slos, PipelineTopologyTest.GRID, Instant.ofEpochMilli(S))) {
            for (long bucket = S; bucket < T0 + 70 * 60_000; bucket += 10_000) { // up to T0 + 70m
                for (int i = 0; i < 20; i++) {
                    h.send(bucket + 250 + i * 500L, "checkout", "/api/pay", bucket >= T0 && i % 10 == 0 ? 503 : 200);
                }
                h.driver.advanceWallClockTime(Duration.ofSeconds(10));
            }
            for (JsonNode a : h.readAlerts()) {
                if (a.get("status").asText().equals("firing")) {
                    fired.putIfAbsent(a.get("labels").get("slo").asText() + "/" + a.get("labels").get("rule").asText(), a);
                }
            }
        }
    }

    @Test
    void thresholdsFollowThePeriodInTheRulesAndInTheAlertEvidence() {
        Map<String, double[]> byHand = Map.of(
                "weekly", new double[]{3.36, 1.4, 0.7, 0.7 / 3},
                "four-weeks", new double[]{13.44, 5.6, 2.8, 2.8 / 3},
                "monthly", new double[]{14.4, 6, 3, 1});
        List<Executable> checks = new ArrayList<>();
        byHand.forEach((slo, rates) -> {
            for (int i = 0; i < RULES.size(); i++) {
                String rule = RULES.get(i);
                double expected = rates[i];
                checks.add(() -> assertEquals(expected, ((AlertRule.BurnRateRule) slos.slo(slo).rule(rule)).burnRate(), 1e-12, slo + "/" + rule));
                checks.add(() -> {
                    JsonNode a = fired.get(slo + "/" + rule);
                    assertNotNull(a, slo + "/" + rule + " fired: " + fired.keySet());
                    for (JsonNode w : a.get("evidence").get("windows")) {
                        assertEquals(expected, w.get("threshold").asDouble(), 1e-12, slo + "/" + rule + " evidence " + w);
                    }
                });
            }
        });
        assertAll(checks);
    }

    @Test
    void eachRuleOfTheSevenDayAndTwentyEightDaySlosFiresAtTheHandComputedInstant() {
        Map<String, Long> byHand = new java.util.TreeMap<>(Map.of(
                "weekly/fast-burn", T0 + 130_000, "weekly/slow-burn", T0 + 60_000,
                "weekly/ticket-quick", T0 + 30_000, "weekly/ticket-slow", T0 + 10_000,
                "four-weeks/fast-burn", T0 + 490_000, "four-weeks/slow-burn", T0 + 220_000,
                "four-weeks/ticket-quick", T0 + 110_000, "four-weeks/ticket-slow", T0 + 40_000,
                "monthly/fast-burn", T0 + 520_000));
        List<Executable> checks = new ArrayList<>();
        byHand.forEach((alert, at) -> checks.add(() -> {
            JsonNode a = fired.get(alert);
            assertNotNull(a, alert + " fired: " + fired.keySet());
            long got = Instant.parse(a.get("evaluatedAt").asText()).toEpochMilli();
            assertEquals(Instant.ofEpochMilli(at).toString(), a.get("evaluatedAt").asText(),
                    alert + " fires at T0+" + (at - T0) / 1000 + "s; it fired at T0+" + (got - T0) / 1000 + "s (" + (got - at) / 1000 + "s off)");
        }));
        assertAll(checks);
    }
}
