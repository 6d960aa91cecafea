package dev.burnrate.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.burnrate.slo.AlertRule;
import dev.burnrate.core.Durations;
import dev.burnrate.slo.Slo;
import dev.burnrate.slo.SloConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The alert records of a backtest as episodes: one per firing record, closed by the next resolved record of the
 * same alert identity, with the evidence of the firing record.
 */
final class Timeline {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param firing     the firing record as the alerts topic would hold it
     * @param resolvedMs when it resolved (event time), or null if it was still firing at the end of the input
     */
    record Episode(String id, String slo, String rule, String service, String route, String severity, long startsAtMs,
                   long firedAtMs, Long resolvedAtMs, JsonNode firing) {
    }

    private final List<Episode> episodes;

    private Timeline(List<Episode> episodes) {
        this.episodes = episodes;
    }

    static Timeline of(List<JsonNode> alertRecords) {
        List<Episode> done = new ArrayList<>();
        Map<String, Integer> open = new HashMap<>();
        for (JsonNode a : alertRecords) {
            String id = a.get("id").asText();
            long at = Instant.parse(a.get("evaluatedAt").asText()).toEpochMilli();
            if (a.get("status").asText().equals("firing")) {
                JsonNode l = a.get("labels");
                open.put(id, done.size());
                done.add(new Episode(id, l.path("slo").asText(), l.path("rule").asText(), l.path("service").asText(),
                        l.hasNonNull("route") ? l.get("route").asText() : null, l.path("severity").asText(),
                        Instant.parse(a.get("startsAt").asText()).toEpochMilli(), at, null, a));
            } else {
                Integer i = open.remove(id);
                if (i == null) continue; // cannot happen in a backtest: every run starts from empty state
                Episode e = done.get(i);
                done.set(i, new Episode(e.id, e.slo, e.rule, e.service, e.route, e.severity, e.startsAtMs, e.firedAtMs, at, e.firing));
            }
        }
        done.sort(Comparator.comparingLong(Episode::firedAtMs).thenComparing(Episode::id));
        return new Timeline(done);
    }

    List<Episode> episodes() {
        return episodes;
    }

    /** Episodes per SLO rule ("availability/fast-burn"), in name order. */
    Map<String, Long> perRule() {
        Map<String, Long> m = new TreeMap<>();
        for (Episode e : episodes) m.merge(e.slo + "/" + e.rule, 1L, Long::sum);
        return m;
    }

    long firings(String severity) {
        return episodes.stream().filter(e -> e.severity.equals(severity)).count();
    }

    /** The table: one row per episode, in firing order. */
    List<String> table(SloConfig slos, long lastEventMs) {
        String[] head = {"FIRED (event time)", "RESOLVED (event time)", "FOR", "SEVERITY", "ALERT", "EVIDENCE AT FIRING"};
        List<String[]> rows = new ArrayList<>();
        for (Episode e : episodes) {
            long until = e.resolvedAtMs == null ? lastEventMs : e.resolvedAtMs;
            rows.add(new String[]{
                    Instant.ofEpochMilli(e.firedAtMs).toString(),
                    e.resolvedAtMs == null ? "still firing at " + Instant.ofEpochMilli(lastEventMs) : Instant.ofEpochMilli(e.resolvedAtMs).toString(),
                    (e.resolvedAtMs == null ? ">" : "") + duration(until - e.firedAtMs),
                    e.severity, e.id, evidence(slos, e)});
        }
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
            for (String[] r : rows) w[i] = Math.max(w[i], r[i].length());
        }
        List<String> out = new ArrayList<>();
        out.add(row(head, w));
        for (String[] r : rows) out.add(row(r, w));
        return out;
    }

    private static String row(String[] cells, int[] w) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            b.append(cells[i]);
            if (i < cells.length - 1) b.append(" ".repeat(w[i] - cells[i].length() + 2));
        }
        return b.toString();
    }

    /**
     * "1h 15.2x, 5m 20.0x (> 14.4x); top route /api/pay (60 errors); dominant 503 (100%)" for a burn-rate rule,
     * "5m 6.00% (> 5.00%); ..." for a threshold rule, "month 12.5% budget left (< 25%); ..." for a budget rule,
     * "10m no requests" for a no-traffic rule.
     */
    static String evidence(SloConfig slos, Episode e) {
        JsonNode ev = e.firing.get("evidence");
        Slo slo = slos.slo(e.slo);
        AlertRule rule = slo == null ? null : slo.rule(e.rule);
        StringBuilder b = new StringBuilder();
        if (rule instanceof AlertRule.NoTrafficRule) {
            JsonNode w = ev.get("windows").get(0);
            b.append(w.get("window").asText()).append(' ').append(w.get("requests").asLong() == 0 ? "no requests" : w.get("requests").asLong() + " requests");
        } else if (rule instanceof AlertRule.BudgetRule budget) {
            JsonNode w = ev.get("windows").get(0); // the period: its burn rate is the share of the budget spent
            b.append(w.get("window").asText()).append(' ').append(percent(1 - w.get("burnRate").asDouble())).append(" budget left (< ")
                    .append(percent(budget.remainingBelow())).append(')');
        } else {
            boolean burnRate = !(rule instanceof AlertRule.ThresholdRule);
            List<String> parts = new ArrayList<>();
            double threshold = Double.NaN;
            for (JsonNode w : ev.get("windows")) {
                threshold = w.get("threshold").asDouble();
                parts.add(burnRate ? String.format(Locale.ROOT, "%s %.1fx", w.get("window").asText(), w.get("burnRate").asDouble())
                        : String.format(Locale.ROOT, "%s %s", w.get("window").asText(), percent(w.get("errorRatio").asDouble())));
            }
            b.append(String.join(", ", parts));
            if (!Double.isNaN(threshold)) {
                b.append(burnRate ? String.format(Locale.ROOT, " (> %sx)", trim(threshold)) : " (> " + percent(threshold) + ")");
            }
        }
        JsonNode routes = ev.get("topRoutes");
        if (routes.size() > 0) {
            b.append("; top route ").append(routes.get(0).get("route").asText()).append(" (").append(routes.get(0).get("errors").asLong()).append(" errors)");
        }
        JsonNode codes = ev.get("topStatusCodes");
        if (codes.size() > 0) {
            b.append("; dominant ").append(codes.get(0).get("code").asInt()).append(" (").append(percent(codes.get(0).get("share").asDouble())).append(')');
        }
        return b.toString();
    }

    /** One JSON object per episode. */
    List<ObjectNode> json(long lastEventMs) {
        List<ObjectNode> out = new ArrayList<>();
        for (Episode e : episodes) {
            ObjectNode o = JSON.createObjectNode();
            o.put("type", "episode");
            o.put("id", e.id);
            o.put("slo", e.slo);
            o.put("rule", e.rule);
            o.put("service", e.service);
            if (e.route != null) o.put("route", e.route);
            o.put("severity", e.severity);
            o.put("startsAt", Instant.ofEpochMilli(e.startsAtMs).toString());
            o.put("firedAt", Instant.ofEpochMilli(e.firedAtMs).toString());
            if (e.resolvedAtMs != null) {
                o.put("resolvedAt", Instant.ofEpochMilli(e.resolvedAtMs).toString());
                o.putNull("stillFiringAt");
            } else {
                o.putNull("resolvedAt");
                o.put("stillFiringAt", Instant.ofEpochMilli(lastEventMs).toString());
            }
            o.put("summary", e.firing.get("annotations").path("summary").asText());
            o.set("evidence", e.firing.get("evidence"));
            out.add(o);
        }
        return out;
    }

    /** A duration for people: whole seconds, "0s" for less. */
    static String duration(long ms) {
        return Durations.format(Duration.ofSeconds(Math.max(0, ms) / 1000));
    }

    static String percent(double ratio) {
        String s = String.format(Locale.ROOT, "%.2f", ratio * 100);
        if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
