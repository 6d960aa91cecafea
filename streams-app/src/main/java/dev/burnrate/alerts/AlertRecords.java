package dev.burnrate.alerts;

import dev.burnrate.schema.AlertStatus;
import dev.burnrate.schema.Evidence;
import dev.burnrate.schema.RouteEvidence;
import dev.burnrate.schema.SloAlert;
import dev.burnrate.schema.StatusCodeEvidence;
import dev.burnrate.schema.WindowEvidence;
import dev.burnrate.slo.AlertRule;
import dev.burnrate.slo.BurnRate;
import dev.burnrate.core.Durations;
import dev.burnrate.slo.Slo;
import dev.burnrate.slo.SloPeriod;
import dev.burnrate.core.Counts;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds the alert record of a transition: Alertmanager's fields (labels, annotations, startsAt, endsAt,
 * generatorURL) plus the identity, a dedup key and the evidence the runbook asks for first: each window's numbers,
 * the top failing routes and the dominant error codes at that instant.
 */
public final class AlertRecords {
    static final int TOP_N = 5;
    private final String generatorBaseUrl;

    public AlertRecords(String generatorBaseUrl) {
        this.generatorBaseUrl = generatorBaseUrl.endsWith("/") ? generatorBaseUrl.substring(0, generatorBaseUrl.length() - 1) : generatorBaseUrl;
    }

    /** The alert's stable identity, also its record key. */
    public static AlertId identity(Slo slo, AlertRule rule, String service, String route) {
        return new AlertId(slo.name(), rule.name(), service, route);
    }

    /**
     * @param guard       the group's counts over the rule's guard window, or the period so far for a budget rule
     * @param routeCounts the same counts for one route of the service (for the top failing routes)
     * @param routes      the service's routes
     */
    public SloAlert build(Slo slo, AlertRule rule, String service, String route, AlertState state, boolean firing,
                          long atMs, RuleEvaluator.RuleResult result, Counts guard,
                          Function<String, Counts> routeCounts, Set<String> routes) {
        AlertId id = identity(slo, rule, service, route);
        long guardErrors = slo.badEvents(guard);

        List<WindowEvidence> windows = new ArrayList<>();
        for (RuleEvaluator.WindowResult w : result.windows()) {
            windows.add(new WindowEvidence(w.window(), w.requests(), w.errors(), w.errorRatio(), w.burnRate(), w.threshold()));
        }
        List<RouteEvidence> topRoutes = new ArrayList<>();
        for (String r : route != null ? Set.of(route) : routes) {
            Counts c = routeCounts.apply(r);
            long errors = slo.badEvents(c);
            long requests = slo.validEvents(c);
            if (errors > 0) topRoutes.add(new RouteEvidence(r, requests, errors, BurnRate.errorRatio(requests, errors)));
        }
        topRoutes.sort(Comparator.comparingLong(RouteEvidence::getErrors).reversed().thenComparing(RouteEvidence::getRoute));
        if (topRoutes.size() > TOP_N) topRoutes = new ArrayList<>(topRoutes.subList(0, TOP_N));
        List<StatusCodeEvidence> topCodes = new ArrayList<>();
        for (int code : guard.codes()) {
            if (slo.errors().isError(code) && guard.code(code) > 0 && (slo.latency() == null || slo.latency().errors() != null)) {
                topCodes.add(new StatusCodeEvidence(code, guard.code(code), guardErrors == 0 ? 0.0 : (double) guard.code(code) / guardErrors));
            }
        }
        topCodes.sort(Comparator.comparingLong(StatusCodeEvidence::getCount).reversed().thenComparingInt(StatusCodeEvidence::getCode));
        if (topCodes.size() > TOP_N) topCodes = new ArrayList<>(topCodes.subList(0, TOP_N));

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", slo.name() + "-" + rule.name());
        labels.put("severity", rule.severity());
        labels.put("slo", slo.name());
        labels.put("rule", rule.name());
        labels.put("service", service);
        if (route != null) labels.put("route", route);
        slo.labels().forEach(labels::putIfAbsent);

        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", summary(slo, rule, service, route, firing, result));
        annotations.put("description", description(slo, rule, result, topRoutes, topCodes, guardErrors, atMs));
        slo.annotations().forEach(annotations::putIfAbsent);

        return SloAlert.newBuilder()
                .setId(id.toString())
                .setDedupKey(id.dedupKey())
                .setStatus(firing ? AlertStatus.firing : AlertStatus.resolved)
                .setLabels(labels)
                .setAnnotations(annotations)
                .setStartsAt(Instant.ofEpochMilli(state.activeSinceMs()))
                .setEndsAt(firing ? null : Instant.ofEpochMilli(atMs))
                .setEvaluatedAt(Instant.ofEpochMilli(atMs))
                .setGeneratorURL(generatorURL(id, atMs))
                .setEvidence(new Evidence(windows, topRoutes, topCodes))
                .build();
    }

    /** The on-call page at this service and instant, with the alert highlighted (see the query package's /ui). */
    String generatorURL(AlertId id, long atMs) {
        return generatorBaseUrl + "/ui/?service=" + URLEncoder.encode(id.service(), StandardCharsets.UTF_8)
                + "&at=" + Instant.ofEpochMilli(atMs) + "&alert=" + URLEncoder.encode(id.toString(), StandardCharsets.UTF_8);
    }

    static String summary(Slo slo, AlertRule rule, String service, String route, boolean firing, RuleEvaluator.RuleResult result) {
        String who = route == null ? service : service + " " + route;
        StringBuilder s = new StringBuilder(who).append(": ").append(slo.name()).append(' ').append(rule.name())
                .append(" (").append(rule.severity()).append(") ").append(firing ? "firing" : "resolved").append(": ");
        if (rule instanceof AlertRule.BudgetRule b) {
            RuleEvaluator.WindowResult p = result.windows().get(0);
            return s.append(percent(p.remainingBudget())).append(" of the error budget left ").append(periodPhrase(slo))
                    .append(" (threshold: below ").append(percent(b.remainingBelow())).append(')').toString();
        }
        if (rule instanceof AlertRule.NoTrafficRule n) {
            RuleEvaluator.WindowResult w = result.windows().get(0);
            return s.append(w.requests() == 0 ? "no requests" : w.requests() + " requests").append(" over ").append(w.window())
                    .append(" (fires on none for ").append(Durations.format(n.window())).append(')').toString();
        }
        List<String> parts = new ArrayList<>();
        for (RuleEvaluator.WindowResult w : result.windows()) {
            if (rule instanceof AlertRule.BurnRateRule) {
                parts.add(String.format(Locale.ROOT, "burn rate %.1fx over %s", w.burnRate(), w.window()));
            } else {
                parts.add(String.format(Locale.ROOT, "error ratio %s over %s", percent(w.errorRatio()), w.window()));
            }
        }
        s.append(String.join(", ", parts));
        if (rule instanceof AlertRule.BurnRateRule b) s.append(String.format(Locale.ROOT, " (threshold %sx)", trim(b.burnRate())));
        else if (rule instanceof AlertRule.ThresholdRule t) s.append(" (threshold ").append(percent(t.errorRatio())).append(" for ").append(Durations.format(t.hold())).append(')');
        return s.toString();
    }

    static String description(Slo slo, AlertRule rule, RuleEvaluator.RuleResult result, List<RouteEvidence> topRoutes,
                              List<StatusCodeEvidence> topCodes, long guardErrors, long atMs) {
        List<String> parts = new ArrayList<>();
        for (RuleEvaluator.WindowResult w : result.windows()) {
            parts.add(String.format(Locale.ROOT, "%s: %d errors / %d requests (%s)", w.window(), w.errors(), w.requests(), percent(w.errorRatio())));
        }
        StringBuilder d = new StringBuilder(String.join("; ", parts));
        String span = rule instanceof AlertRule.WindowRule w ? Durations.format(w.guardWindow()) : periodPhrase(slo);
        if (rule instanceof AlertRule.BudgetRule) {
            d.append(" since ").append(Instant.ofEpochMilli(slo.period().start(atMs)).atZone(zone(slo)).toOffsetDateTime());
        }
        d.append(". Objective ").append(trim(slo.objective() * 100)).append(slo.period() instanceof SloPeriod.Calendar c
                ? "% per calendar " + c.label() + " (" + c.zone().getId() + ")" : "% over " + slo.period().label()).append('.');
        if (!topRoutes.isEmpty()) {
            RouteEvidence r = topRoutes.get(0);
            d.append(String.format(Locale.ROOT, " Top failing route over %s: %s (%d errors, %s of them).", span,
                    r.getRoute(), r.getErrors(), guardErrors == 0 ? "0%" : percent((double) r.getErrors() / guardErrors)));
        }
        if (!topCodes.isEmpty()) {
            StatusCodeEvidence c = topCodes.get(0);
            d.append(String.format(Locale.ROOT, " Dominant status: %d (%s of errors).", c.getCode(), percent(c.getShare())));
        }
        return d.toString();
    }

    /** "over the last 30d", or "this month (Europe/Berlin)" for a calendar period. */
    private static String periodPhrase(Slo slo) {
        return slo.period() instanceof SloPeriod.Calendar c ? "this " + c.label() + " (" + c.zone().getId() + ")"
                : "over the last " + slo.period().label();
    }

    private static java.time.ZoneId zone(Slo slo) {
        return slo.period() instanceof SloPeriod.Calendar c ? c.zone() : java.time.ZoneOffset.UTC;
    }

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.2f%%", ratio * 100);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
