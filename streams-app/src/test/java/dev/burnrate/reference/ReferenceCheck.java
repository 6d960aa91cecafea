package dev.burnrate.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.burnrate.slo.AlertRule;
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
import java.util.stream.LongStream;

/** What the property tests of the backtest and of the live topology share: the case, the SLOs, the verdict. */
public final class ReferenceCheck {
    /** The default evaluation interval. */
    public static final Duration STEP = Duration.ofSeconds(10);
    /** Event time of every case starts here (a Monday, 00:07:13: not on an hour). */
    public static final long START = Instant.parse("2026-03-02T00:07:13Z").toEpochMilli();
    public static final long DAYS = 4;

    private ReferenceCheck() {
    }

    /**
     * The seeds to run: {@code -Dburnrate.seed=N} runs that one (to reproduce a failure), else the given ones.
     */
    public static LongStream seeds(long... defaults) {
        String one = System.getProperty("burnrate.seed");
        return one == null || one.isBlank() ? LongStream.of(defaults) : LongStream.of(Long.parseLong(one.strip()));
    }

    /**
     * The default SLO (99.5% over 30d, by service, the default multi-window multi-burn-rate rules, 20 requests in the
     * short window) and a 99% SLO by service+route with a threshold rule with a hold (above 5% over 5m for 2m;
     * its window is the finest tier's, so it is exact at both ends today and should stay so).
     */
    public static SloConfig slos() {
        Slo routes = new Slo("route-errors", 0.99, Slo.DEFAULT_PERIOD, Selector.ALL, ErrorDefinition.DEFAULT, GroupBy.SERVICE_ROUTE,
                Slo.DEFAULT_MIN_REQUESTS, Map.of(), Map.of(), List.of(
                new AlertRule.ThresholdRule("errors-critical", "critical", 0.05, Duration.ofMinutes(5), Duration.ofMinutes(2))));
        SloConfig c = new SloConfig(List.of(Slo.of("availability", 0.995), routes));
        if (!c.slos().get(0).rules().equals(DefaultRules.multiWindowMultiBurnRate(Slo.DEFAULT_PERIOD.nominal()))) throw new AssertionError("not the default rules");
        return c;
    }

    /** {@value #DAYS} days of traffic of four services (one of low traffic, one that stops for good, two of about 0.3 requests/s on average). */
    public static RandomTraffic traffic(long seed) {
        return RandomTraffic.generate(seed, START, DAYS * 86_400_000L, 4, 0.3);
    }

    /**
     * 36 hours of traffic of three services (one of low traffic, one that stops for good, one of about 0.3
     * requests/s): long enough for the 1d window to be full for half a day, and the 3d window's partial first days.
     */
    public static RandomTraffic liveTraffic(long seed) {
        return RandomTraffic.generate(seed, START, 36 * 3_600_000L, 3, 0.3);
    }

    /**
     * Compares the alert records an implementation wrote for the traffic with the reference up to {@code horizonMs}
     * (the last instant the implementation evaluated), prints the per-rule report, and fails with it, the seed and
     * the traffic's description when they disagree.
     */
    public static EpisodeComparison assertAgrees(String path, RandomTraffic traffic, SloConfig slos, List<JsonNode> alertRecords, long horizonMs) {
        ExactAlerts exact = new ExactAlerts(traffic, slos, STEP);
        List<Episode> reference = exact.episodes(horizonMs);
        List<Episode> actual = Episode.fromAlertRecords(alertRecords);
        EpisodeComparison c = EpisodeComparison.compare(path, slos, STEP, reference, actual, horizonMs);
        String head = "seed " + traffic.seed + " (rerun alone with -Dburnrate.seed=" + traffic.seed + "), " + traffic.size()
                + " events " + Instant.ofEpochMilli(traffic.firstMs()) + " .. " + Instant.ofEpochMilli(traffic.lastMs())
                + ", evaluated up to " + Instant.ofEpochMilli(horizonMs) + "\n";
        System.out.println(head + c.report());
        assertTrue(c.agrees(), () -> head + "traffic:\n  " + String.join("\n  ", traffic.description) + "\n" + c.report()
                + "rules that disagree with the reference: " + c.failedRules());
        return c;
    }
}
