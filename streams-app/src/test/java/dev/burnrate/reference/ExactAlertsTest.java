package dev.burnrate.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.burnrate.slo.DefaultRules;
import dev.burnrate.slo.ErrorDefinition;
import dev.burnrate.slo.GroupBy;
import dev.burnrate.slo.Selector;
import dev.burnrate.slo.Slo;
import dev.burnrate.slo.SloConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The reference itself, on the traffic of {@code PeriodThresholdsTest} (2 requests/s from S, 10% errors from
 * T0 = S + 1h, 99.9% SLOs of 7, 28 and 30 days): it gives the instants computed by hand there, and its windows hold
 * exactly the events of (t - W, t].
 */
class ExactAlertsTest {
    static final long S = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    static final long T0 = S + 3_600_000;

    static RandomTraffic traffic() {
        RandomTraffic t = RandomTraffic.handMade("checkout");
        for (long bucket = S; bucket < T0 + 15 * 60_000; bucket += 10_000) {
            for (int i = 0; i < 20; i++) t.add(bucket + 250 + i * 500L, "checkout", "/api/pay", bucket >= T0 && i % 10 == 0 ? 503 : 200);
        }
        return t;
    }

    static Slo slo(String name, Duration period) {
        return new Slo(name, 0.999, dev.burnrate.slo.SloPeriod.rolling(period), Selector.ALL, ErrorDefinition.DEFAULT, GroupBy.SERVICE, Slo.DEFAULT_MIN_REQUESTS,
                Map.of(), Map.of(), DefaultRules.multiWindowMultiBurnRate(period));
    }

    @Test
    void windowsAreTheEventsOfTheHalfOpenIntervalEndingAtTheInstant() {
        ExactAlerts exact = new ExactAlerts(traffic(), SloConfig.defaultConfig(), ReferenceCheck.STEP);
        assertEquals(S + 10_000, exact.firstInstant());
        // at T0 + 30s: 5m = 30 buckets, 3 of them in the incident; 1d reaches back before S: 363 buckets
        assertEquals(List.of(600L, 6L), List.of(exact.window("checkout", null, Duration.ofMinutes(5), T0 + 30_000)[0],
                exact.window("checkout", null, Duration.ofMinutes(5), T0 + 30_000)[1]));
        assertEquals(363 * 20, exact.window("checkout", null, Duration.ofDays(1), T0 + 30_000)[0]);
        // an event exactly at t counts at t, one exactly at t - W does not
        RandomTraffic edge = RandomTraffic.handMade("a");
        edge.add(T0, "a", "/api/cart", 500);
        edge.add(T0 + 300_000, "a", "/api/cart", 200);
        ExactAlerts e = new ExactAlerts(edge, SloConfig.defaultConfig(), ReferenceCheck.STEP);
        assertEquals(List.of(1L, 0L), List.of(e.window("a", null, Duration.ofMinutes(5), T0 + 300_000)[0], e.window("a", null, Duration.ofMinutes(5), T0 + 300_000)[1]));
        assertEquals(List.of(1L, 1L), List.of(e.window("a", "/api/cart", Duration.ofMinutes(5), T0)[0], e.window("a", "/api/cart", Duration.ofMinutes(5), T0)[1]));
    }

    @Test
    void firstFireOfEachRuleIsTheHandComputedInstant() {
        SloConfig slos = new SloConfig(List.of(slo("weekly", Duration.ofDays(7)), slo("four-weeks", Duration.ofDays(28)), slo("monthly", Duration.ofDays(30))));
        Map<String, Long> first = new TreeMap<>();
        for (Episode ep : new ExactAlerts(traffic(), slos, ReferenceCheck.STEP).episodes(T0 + 15 * 60_000 - 10_000)) {
            first.merge(ep.slo() + "/" + ep.rule(), (ep.firedMs() - T0) / 1000, Math::min);
        }
        Map<String, Long> byHand = new TreeMap<>(Map.of(
                "weekly/fast-burn", 130L, "weekly/slow-burn", 60L, "weekly/ticket-quick", 30L, "weekly/ticket-slow", 10L,
                "four-weeks/fast-burn", 490L, "four-weeks/slow-burn", 220L, "four-weeks/ticket-quick", 110L, "four-weeks/ticket-slow", 40L,
                "monthly/fast-burn", 520L));
        // monthly: slow-burn 6x: 30m k > 10.8, 6h 2k > .006 x 20(360+k) -> 1.88k > 43.2 -> k > 22.98 -> 23; ticket-quick
        // 3x: 2k > .003 x 20(360+k) -> 1.94k > 21.6 -> k > 11.13 -> 12; ticket-slow 1x: 1.98k > 7.2 -> k > 3.64 -> 4
        byHand.put("monthly/slow-burn", 230L);
        byHand.put("monthly/ticket-quick", 120L);
        byHand.put("monthly/ticket-slow", 40L);
        assertEquals(byHand, first, "seconds after T0");
    }
}
