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

    public record ServiceSummary(String service, String asOf, String slo, List<WindowStats> windows, List<String> firingAlerts) {
    }

    public record ServiceList(String generatedAt, int instances, List<ServiceSummary> services) {
    }

    public record RouteStats(String route, long requests, long errors, double errorRatio) {
    }

    public record WindowDetail(String window, long requests, long errors, double errorRatio, Double burnRate,
                               Map<String, Long> statusFamilies, Map<String, Long> codes5xx,
                               List<RouteStats> routes, int routesTotal) {
    }

    public record RuleWindow(String window, long requests, long errors, double errorRatio, double burnRate, double threshold) {
    }

    public record RuleStatus(String rule, String severity, boolean conditionTrue, List<RuleWindow> windows) {
    }

    public record SloStatus(String name, double objectivePercent, String period, List<String> errors, String groupBy,
                            long periodRequests, long periodErrors, double remainingBudget, List<RuleStatus> rules) {
    }

    public record AlertView(String id, String slo, String rule, String severity, String service, String route,
                            String state, String activeSince, String firedAt, String resolvedAt) {
    }

    public record ServiceDetail(String service, String asOf, List<WindowDetail> windows, List<SloStatus> slos, List<AlertView> alerts) {
    }

    public record AlertList(String generatedAt, int instances, List<AlertView> alerts) {
    }

    public record Point(String t, long requests, long errors, double errorRatio) {
    }

    public record TimeSeries(String service, String route, String from, String to, String step, String errors, List<Point> points) {
    }

    public record Problem(int status, String error) {
    }
}
