package dev.burnrate.reference;

import dev.burnrate.slo.AlertRule;
import dev.burnrate.core.Durations;
import dev.burnrate.slo.Slo;
import dev.burnrate.slo.SloConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares the episodes an implementation produced with the reference's, alert by alert (SLO, rule, group), with
 * the tolerance of the rule: {@code max(evaluation step, W / 40)}, W the rule's longest window.
 *
 * <p>Each side's episodes are a sequence of transitions: fire, resolve, fire, resolve, ... (an episode still firing
 * at the horizon resolves at the horizon on both sides, which end at the same instant). The two sequences agree
 * when they can be aligned in order such that
 * <ul>
 * <li>every transition of one side is paired with a transition of the same kind (fire with fire, resolve with
 * resolve) of the other side at most the tolerance away, except that</li>
 * <li>a <em>pulse</em>, two consecutive transitions of one side at most the tolerance apart, may be left unpaired:
 * a firing episode no longer than the tolerance (the condition grazed the threshold) or a pause no longer than
 * the tolerance inside an episode (it flapped). Near a threshold, a difference in window arithmetic that the
 * tolerance allows can make such a blip appear on one side only; anything longer must be on both.</li>
 * </ul>
 * So: no episode longer than the tolerance is missing or extra, no episode is split or merged by a gap longer than
 * the tolerance, and every paired fire and resolve is within the tolerance. Among the alignments the one with the
 * fewest unpaired pulses (then the smallest largest deviation) is reported. When no alignment exists, the report
 * pairs each reference episode with the implementation's episodes that overlap it and prints how far each fire
 * and resolve is off, and lists the implementation's episodes that overlap none.
 */
public final class EpisodeComparison {
    private final String path;
    private final Map<String, RuleSummary> rules = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();

    private static final class RuleSummary {
        long toleranceMs;
        int alerts;
        int referenceEpisodes;
        int actualEpisodes;
        int pairedEpisodes;
        int pulsesReferenceOnly;
        int pulsesActualOnly;
        long maxFireDev;
        long maxResolveDev;
        int failedAlerts;
        int failedEpisodes;
        long maxFailedDev;
    }

    private EpisodeComparison(String path) {
        this.path = path;
    }

    /** max(step, the rule's longest window / 40). */
    public static long toleranceMs(AlertRule rule, Duration step) {
        long longest = 0;
        for (Duration w : rule.windows()) longest = Math.max(longest, w.toMillis());
        return Math.max(step.toMillis(), longest / 40);
    }

    /**
     * @param path      what produced {@code actual} ("backtest", "live topology"), for the report
     * @param horizonMs the last instant both sides evaluated: still-firing episodes end there
     */
    public static EpisodeComparison compare(String path, SloConfig slos, Duration step, List<Episode> reference,
                                            List<Episode> actual, long horizonMs) {
        EpisodeComparison c = new EpisodeComparison(path);
        TreeMap<String, List<Episode>> ref = byAlert(reference);
        TreeMap<String, List<Episode>> act = byAlert(actual);
        TreeSet<String> alerts = new TreeSet<>(ref.keySet());
        alerts.addAll(act.keySet());
        for (Slo slo : slos.slos()) {
            for (AlertRule r : slo.rules()) {
                RuleSummary s = new RuleSummary();
                s.toleranceMs = toleranceMs(r, step);
                c.rules.put(slo.name() + "/" + r.name(), s);
            }
        }
        for (String alert : alerts) {
            List<Episode> re = ref.getOrDefault(alert, List.of());
            List<Episode> ae = act.getOrDefault(alert, List.of());
            Episode any = re.isEmpty() ? ae.get(0) : re.get(0);
            RuleSummary s = c.rules.get(any.slo() + "/" + any.rule());
            if (s == null) throw new AssertionError(c.path + ": alert of an unknown rule: " + alert);
            c.compareAlert(alert, s, re, ae, horizonMs);
        }
        return c;
    }

    private static TreeMap<String, List<Episode>> byAlert(List<Episode> episodes) {
        TreeMap<String, List<Episode>> m = new TreeMap<>();
        for (Episode e : episodes) m.computeIfAbsent(e.alert(), k -> new ArrayList<>()).add(e);
        m.values().forEach(l -> l.sort(Comparator.comparingLong(Episode::firedMs)));
        return m;
    }

    private static long[] transitions(List<Episode> episodes, long horizonMs) {
        long[] t = new long[episodes.size() * 2];
        for (int i = 0; i < episodes.size(); i++) {
            t[2 * i] = episodes.get(i).firedMs();
            t[2 * i + 1] = episodes.get(i).resolvedMs() == null ? horizonMs : episodes.get(i).resolvedMs();
        }
        return t;
    }

    private void compareAlert(String alert, RuleSummary s, List<Episode> re, List<Episode> ae, long horizonMs) {
        s.alerts++;
        s.referenceEpisodes += re.size();
        s.actualEpisodes += ae.size();
        long tol = s.toleranceMs;
        long[] rt = transitions(re, horizonMs);
        long[] at = transitions(ae, horizonMs);
        int n = rt.length;
        int m = at.length;
        // DP over (transitions of the reference consumed, of the implementation consumed): fewest pulses, then the
        // smallest largest deviation; moves: pair the next two, or leave the next pulse of one side unpaired
        int[][] pulses = new int[n + 1][m + 1];
        long[][] dev = new long[n + 1][m + 1];
        byte[][] move = new byte[n + 1][m + 1];
        for (int[] row : pulses) java.util.Arrays.fill(row, Integer.MAX_VALUE);
        pulses[0][0] = 0;
        for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= m; j++) {
                if (pulses[i][j] == Integer.MAX_VALUE) continue;
                int p = pulses[i][j];
                long d = dev[i][j];
                if (i < n && j < m && Math.abs(rt[i] - at[j]) <= tol) relax(pulses, dev, move, i + 1, j + 1, p, Math.max(d, Math.abs(rt[i] - at[j])), (byte) 1);
                if (i + 1 < n && rt[i + 1] - rt[i] <= tol) relax(pulses, dev, move, i + 2, j, p + 1, d, (byte) 2);
                if (j + 1 < m && at[j + 1] - at[j] <= tol) relax(pulses, dev, move, i, j + 2, p + 1, d, (byte) 3);
            }
        }
        if (pulses[n][m] != Integer.MAX_VALUE) {
            for (int i = n, j = m; i > 0 || j > 0; ) {
                switch (move[i][j]) {
                    case 1 -> {
                        long d = Math.abs(rt[i - 1] - at[j - 1]);
                        if ((i - 1) % 2 == 0) {
                            s.pairedEpisodes++;
                            s.maxFireDev = Math.max(s.maxFireDev, d);
                        } else {
                            s.maxResolveDev = Math.max(s.maxResolveDev, d);
                        }
                        i--;
                        j--;
                    }
                    case 2 -> {
                        s.pulsesReferenceOnly++;
                        i -= 2;
                    }
                    default -> {
                        s.pulsesActualOnly++;
                        j -= 2;
                    }
                }
            }
            return;
        }
        s.failedAlerts++;
        StringBuilder b = new StringBuilder();
        b.append(alert).append(" (tolerance ").append(fmt(tol)).append("): ").append(re.size()).append(" reference episode(s), ")
                .append(ae.size()).append(" from the ").append(path).append('\n');
        boolean[] overlapped = new boolean[ae.size()];
        // each of the implementation's episodes is paired with the reference episode it overlaps most; a reference
        // episode that only overlaps episodes paired with another one was merged into them
        int[] best = new int[ae.size()];
        for (int j = 0; j < ae.size(); j++) {
            best[j] = -1;
            long most = -1;
            for (int i = 0; i < re.size(); i++) {
                long overlap = Math.min(rt[2 * i + 1], at[2 * j + 1]) - Math.max(rt[2 * i], at[2 * j]);
                if (overlap >= 0 && overlap > most) {
                    most = overlap;
                    best[j] = i;
                }
            }
        }
        for (int i = 0; i < re.size(); i++) {
            long rf = rt[2 * i];
            long rr = rt[2 * i + 1];
            b.append("    reference ").append(interval(rf, rr, re.get(i).resolvedMs() == null));
            boolean any = false;
            for (int j = 0; j < ae.size(); j++) {
                long af = at[2 * j];
                long ar = at[2 * j + 1];
                if (af > rr || ar < rf) continue; // no overlap
                overlapped[j] = true;
                any = true;
                if (best[j] != i) {
                    boolean pulse = rr - rf <= tol;
                    if (!pulse) {
                        s.failedEpisodes++;
                        s.maxFailedDev = Math.max(s.maxFailedDev, rr - rf);
                    }
                    b.append("\n        inside the ").append(path).append(' ').append(interval(af, ar, ae.get(j).resolvedMs() == null))
                            .append(", paired with another reference episode: merged")
                            .append(pulse ? " (no longer than the tolerance: allowed)" : " (lasted " + fmt(rr - rf) + ")  <-- beyond tolerance");
                    continue;
                }
                long df = af - rf;
                long dr = ar - rr;
                boolean bad = Math.abs(df) > tol || Math.abs(dr) > tol;
                if (bad) {
                    s.failedEpisodes++;
                    s.maxFailedDev = Math.max(s.maxFailedDev, Math.max(Math.abs(df), Math.abs(dr)));
                } else {
                    s.pairedEpisodes++;
                    s.maxFireDev = Math.max(s.maxFireDev, Math.abs(df));
                    s.maxResolveDev = Math.max(s.maxResolveDev, Math.abs(dr));
                }
                b.append("\n        ").append(path).append(' ').append(interval(af, ar, ae.get(j).resolvedMs() == null))
                        .append(": fired ").append(signed(df)).append(", resolved ").append(signed(dr)).append(bad ? "  <-- beyond tolerance" : "");
            }
            if (!any && rr - rf <= tol) {
                b.append("\n        only in the reference, no longer than the tolerance (lasted ").append(fmt(rr - rf)).append("): allowed");
            } else if (!any) {
                s.failedEpisodes++;
                s.maxFailedDev = Math.max(s.maxFailedDev, rr - rf);
                b.append("\n        MISSING from the ").append(path).append(" (lasted ").append(fmt(rr - rf)).append(')');
            }
            b.append('\n');
        }
        for (int j = 0; j < ae.size(); j++) {
            if (overlapped[j]) continue;
            if (at[2 * j + 1] - at[2 * j] <= tol) {
                b.append("    only in the ").append(path).append(' ').append(interval(at[2 * j], at[2 * j + 1], ae.get(j).resolvedMs() == null))
                        .append(", no longer than the tolerance: allowed\n");
                continue;
            }
            s.failedEpisodes++;
            s.maxFailedDev = Math.max(s.maxFailedDev, at[2 * j + 1] - at[2 * j]);
            b.append("    EXTRA in the ").append(path).append(' ').append(interval(at[2 * j], at[2 * j + 1], ae.get(j).resolvedMs() == null))
                    .append(" (lasted ").append(fmt(at[2 * j + 1] - at[2 * j])).append(", no reference episode overlaps it)\n");
        }
        failures.add(b.toString());
    }

    private static void relax(int[][] pulses, long[][] dev, byte[][] move, int i, int j, int p, long d, byte how) {
        if (p < pulses[i][j] || (p == pulses[i][j] && d < dev[i][j])) {
            pulses[i][j] = p;
            dev[i][j] = d;
            move[i][j] = how;
        }
    }

    public boolean agrees() {
        return failures.isEmpty();
    }

    /** Per rule: episodes, pairs, largest deviations, unpaired pulses, failures; then each failing alert in detail. */
    public String report() {
        StringBuilder b = new StringBuilder();
        b.append("per rule, ").append(path).append(" vs the exact reference:\n");
        rules.forEach((rule, s) -> b.append(String.format(Locale.ROOT,
                "  %-28s tolerance %-6s reference %3d episodes, %s %3d; paired %3d (largest fire deviation %s, resolve %s); "
                        + "short pulses on one side only: reference %d, %s %d; %s%n",
                rule, fmt(s.toleranceMs), s.referenceEpisodes, path, s.actualEpisodes, s.pairedEpisodes, fmt(s.maxFireDev),
                fmt(s.maxResolveDev), s.pulsesReferenceOnly, path, s.pulsesActualOnly,
                s.failedAlerts == 0 ? "OK" : String.format(Locale.ROOT, "FAILED: %d alert(s), %d episode(s) off, by up to %s",
                        s.failedAlerts, s.failedEpisodes, fmt(s.maxFailedDev)))));
        if (!failures.isEmpty()) {
            b.append("failing alerts (instants in event time; deviation = ").append(path).append(" minus reference):\n");
            failures.forEach(f -> b.append("  ").append(f));
        }
        return b.toString();
    }

    /** The rules that failed, e.g. "availability/ticket-quick". */
    public List<String> failedRules() {
        List<String> out = new ArrayList<>();
        rules.forEach((r, s) -> {
            if (s.failedAlerts > 0) out.add(r);
        });
        return out;
    }

    private static String interval(long from, long to, boolean open) {
        return Instant.ofEpochMilli(from) + " -> " + (open ? "still firing at " : "") + Instant.ofEpochMilli(to);
    }

    static String fmt(long ms) {
        return Durations.format(Duration.ofMillis(Math.abs(ms)));
    }

    private static String signed(long ms) {
        return ms == 0 ? "on time" : (ms > 0 ? "+" : "-") + fmt(ms) + (ms > 0 ? " late" : " early");
    }
}
