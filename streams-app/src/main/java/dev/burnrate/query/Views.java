package dev.burnrate.query;

import java.util.List;
import java.util.Map;

/** The query API's JSON bodies. Times are RFC 3339 strings; windows are "5m", "1h", ... */
public final class Views {
    private Views() {
    }

    /** burnRate is against the service's primary SLO (the first that covers it); null when none covers it. */
    public record WindowStats(String window, long requests, long errors, double errorRatio, Double burnRate) {
    }

    /**
     * One SLO's error budget over its period so far. remainingBudget: 1 = untouched, 0 = spent, negative =
     * overspent; budgetBurned = 1 - remainingBudget, the share spent so far. period is rolling ("30d": periodStart
     * moves with asOf, timezone and resetsAt are null) or calendar ("month", "week": the budget resets at resetsAt,
     * the next local midnight starting a period in timezone).
     */
    public record SloBudget(String slo, double objectivePercent, String period, String timezone, String periodStart, String resetsAt,
                            long periodRequests, long periodErrors, double remainingBudget, double budgetBurned) {
    }

    public record ServiceSummary(String service, String asOf, String slo, List<WindowStats> windows, List<String> firingAlerts,
                                 List<SloBudget> budgets) {
    }

    public record ServiceList(String generatedAt, int instances, List<ServiceSummary> services) {
    }

    /**
     * Latency percentiles of a window, in milliseconds, each within 5% of the exact nearest-rank percentile of the
     * requests with a duration (see ingest.LatencyHistogram), over the minutes from {@code from} to the window's
     * end (windows.LatencyBuckets: to the minute); null percentiles when no request had a duration.
     */
    public record Latency(String from, long timedRequests, Double p50, Double p95, Double p99) {
    }

    /** latency: null for a window longer than percentiles are kept (1h). */
    public record RouteStats(String route, long requests, long errors, double errorRatio, Latency latency) {
    }

    /** latency: null for a window longer than percentiles are kept (1h). */
    public record WindowDetail(String window, long requests, long errors, double errorRatio, Double burnRate,
                               Map<String, Long> statusFamilies, Map<String, Long> codes5xx,
                               List<RouteStats> routes, int routesTotal, Latency latency) {
    }

    public record RuleWindow(String window, long requests, long errors, double errorRatio, double burnRate, double threshold) {
    }

    /**
     * @param kind  burn-rate, threshold, budget (its window is the period) or no-traffic
     * @param route the rule's group for a {@code groupBy: service+route} SLO (one status per route), else null
     * @param minRequests the requests its guard window (the last one: the short window, or the period) must hold before
     *                    it may fire ({@link dev.burnrate.slo.Slo#guardRequests}); 0 for none
     */
    public record RuleStatus(String rule, String kind, String severity, String route, boolean conditionTrue, long minRequests,
                             List<RuleWindow> windows) {
    }

    /** The period fields are {@link SloBudget}'s. */
    public record SloStatus(String name, double objectivePercent, String period, String timezone, String periodStart, String resetsAt,
                            List<String> errors, String groupBy, long periodRequests, long periodErrors, double remainingBudget,
                            double budgetBurned, List<RuleStatus> rules) {
    }

    /** @param clearedAt a firing alert kept firing by its rule's keepFiringFor: when its condition cleared, else null */
    public record AlertView(String id, String slo, String rule, String severity, String service, String route,
                            String state, String activeSince, String firedAt, String resolvedAt, String clearedAt) {
    }

    public record ServiceDetail(String service, String asOf, List<WindowDetail> windows, List<SloStatus> slos, List<AlertView> alerts) {
    }

    public record AlertList(String generatedAt, int instances, List<AlertView> alerts) {
    }

    /** One instance's part of a list (/internal/...): the partitions it answered for, and their items. */
    public record LocalServices(List<Integer> partitions, List<ServiceSummary> services) {
    }

    public record LocalAlerts(List<Integer> partitions, List<AlertView> alerts) {
    }

    public record Point(String t, long requests, long errors, double errorRatio) {
    }

    public record TimeSeries(String service, String route, String from, String to, String step, String errors, List<Point> points) {
    }

    /** A burn-rate rule of an SLO as the charts draw it: its windows and its threshold. */
    public record ChartRule(String rule, String severity, List<String> windows, double threshold) {
    }

    /**
     * The burn rate of each of the SLO's rule windows at one instant; null where the stores no longer hold that
     * window's buckets at that instant.
     */
    public record BurnPoint(String t, Map<String, Double> burnRates) {
    }

    public record BurnRateSeries(String service, String slo, double objectivePercent, String asOf, String from, String to, String step,
                                 List<ChartRule> rules, List<BurnPoint> points) {
    }

    public record RouteEvidence(String route, long requests, long errors, double errorRatio) {
    }

    public record CodeEvidence(int code, long count, double share) {
    }

    public record WindowEvidence(String window, long requests, long errors, double errorRatio, double burnRate, double threshold) {
    }

    /** What an alert record said when it was written. */
    public record Evidence(String evaluatedAt, String summary, String description, List<WindowEvidence> windows,
                           List<RouteEvidence> topRoutes, List<CodeEvidence> topStatusCodes) {
    }

    /**
     * One episode of an alert, from its records on the alerts topic: firing (firedAt) to resolved (endsAt, null
     * while firing), with the evidence of each record.
     */
    public record AlertEpisode(String id, String slo, String rule, String severity, String service, String route, String startsAt,
                               String firedAt, String endsAt, String generatorURL, Evidence firing, Evidence resolved) {
    }

    public record AlertHistory(String generatedAt, long recordsRead, List<AlertEpisode> episodes) {
    }

    public record Problem(int status, String error) {
    }
}
