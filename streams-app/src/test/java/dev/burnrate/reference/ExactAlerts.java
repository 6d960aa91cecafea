package dev.burnrate.reference;

import dev.burnrate.slo.AlertRule;
import dev.burnrate.slo.AlertRule.BurnRateRule;
import dev.burnrate.slo.AlertRule.ThresholdRule;
import dev.burnrate.slo.BurnRate;
import dev.burnrate.slo.GroupBy;
import dev.burnrate.slo.Slo;
import dev.burnrate.slo.SloConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The brute-force reference: every event kept; at each evaluation instant t (the multiples of the evaluation step
 * from the first one after the first event up to a horizon) the exact sliding window (t - W, t] of each alert
 * group, read by binary search over the group's sorted event times; every rule of every SLO applied as the product
 * documents it, written here independently of the processor's code:
 * <ul>
 * <li>burn-rate rule: burn rate (errors / requests / (1 - objective)) strictly above the rule's rate over both
 * windows ({@link BurnRate#exceeds}, the product's definition of "strictly above"), and at least
 * {@link Slo#guardRequests} requests in the short window; no hold;</li>
 * <li>threshold rule: error ratio strictly above the rule's over its window and at least guardRequests requests
 * there, continuously for the hold: it fires at the first instant t with t - (start of the run of true instants)
 * >= hold, and resolves at the first instant the condition is false again;</li>
 * <li>errors are 5xx statuses (the default error definition; the SLOs given here must use it); a window without
 * requests has error ratio 0.</li>
 * </ul>
 * Groups: one per service for {@code groupBy: service}, one per (service, route) for {@code service+route}; SLO
 * selectors are not interpreted (the SLOs given here must cover every service and route).
 */
public final class ExactAlerts {
    private final SloConfig slos;
    private final long stepMs;
    /** Per group key "service" or "service\u0000route": sorted event times and, parallel, the running error count. */
    private final Map<String, long[]> times = new TreeMap<>();
    private final Map<String, int[]> errorsBefore = new TreeMap<>();
    private final long firstInstant;

    public ExactAlerts(RandomTraffic traffic, SloConfig slos, Duration step) {
        this.slos = slos;
        this.stepMs = step.toMillis();
        for (Slo s : slos.slos()) {
            if (!s.selector().services().isEmpty() || !s.selector().routes().isEmpty()) throw new IllegalArgumentException("selectors are not modelled");
        }
        Map<String, List<long[]>> byGroup = new LinkedHashMap<>();
        long first = Long.MAX_VALUE;
        for (int i = 0; i < traffic.size(); i++) {
            long[] ev = {traffic.ts(i), traffic.status(i) >= 500 ? 1 : 0};
            byGroup.computeIfAbsent(traffic.service(i), k -> new ArrayList<>()).add(ev);
            byGroup.computeIfAbsent(traffic.service(i) + '\u0000' + traffic.route(i), k -> new ArrayList<>()).add(ev);
            first = Math.min(first, traffic.ts(i));
        }
        byGroup.forEach((k, evs) -> {
            evs.sort((a, b) -> Long.compare(a[0], b[0]));
            long[] t = new long[evs.size()];
            int[] e = new int[evs.size() + 1];
            for (int i = 0; i < t.length; i++) {
                t[i] = evs.get(i)[0];
                e[i + 1] = e[i] + (int) evs.get(i)[1];
            }
            times.put(k, t);
            errorsBefore.put(k, e);
        });
        this.firstInstant = Math.floorDiv(first, stepMs) * stepMs + stepMs;
    }

    /** The first evaluation instant: the first multiple of the step after the first event. */
    public long firstInstant() {
        return firstInstant;
    }

    /** Requests and 5xx errors of a group in (t - W, t]; route null = the whole service. */
    public long[] window(String service, String route, Duration w, long t) {
        String key = route == null ? service : service + '\u0000' + route;
        long[] ts = times.get(key);
        if (ts == null) return new long[]{0, 0};
        int hi = upper(ts, t);
        int lo = upper(ts, t - w.toMillis());
        int[] e = errorsBefore.get(key);
        return new long[]{hi - lo, e[hi] - e[lo]};
    }

    /** Number of times <= x. */
    private static int upper(long[] ts, long x) {
        int i = Arrays.binarySearch(ts, x);
        if (i < 0) return -i - 1;
        while (i + 1 < ts.length && ts[i + 1] == x) i++;
        return i + 1;
    }

    /**
     * Every episode of every rule and group, evaluated at each instant from {@link #firstInstant()} to
     * {@code horizonMs} inclusive; an episode still firing at the horizon has {@code resolvedMs} null.
     */
    public List<Episode> episodes(long horizonMs) {
        List<Episode> out = new ArrayList<>();
        for (Slo slo : slos.slos()) {
            for (String key : times.keySet()) {
                int sep = key.indexOf('\u0000');
                boolean routeKey = sep >= 0;
                if (routeKey != (slo.groupBy() == GroupBy.SERVICE_ROUTE)) continue;
                String service = routeKey ? key.substring(0, sep) : key;
                String route = routeKey ? key.substring(sep + 1) : null;
                for (AlertRule rule : slo.rules()) out.addAll(run(slo, rule, service, route, horizonMs));
            }
        }
        return out;
    }

    private List<Episode> run(Slo slo, AlertRule rule, String service, String route, long horizonMs) {
        List<Episode> out = new ArrayList<>();
        long holdMs = rule.hold().toMillis();
        long activeSince = Long.MIN_VALUE; // start of the current run of true instants
        long firedAt = Long.MIN_VALUE;     // set while firing
        for (long t = firstInstant; t <= horizonMs; t += stepMs) {
            boolean cond = condition(slo, rule, service, route, t);
            if (!cond) {
                if (firedAt != Long.MIN_VALUE) out.add(new Episode(slo.name(), rule.name(), service, route, firedAt, t));
                activeSince = Long.MIN_VALUE;
                firedAt = Long.MIN_VALUE;
                continue;
            }
            if (activeSince == Long.MIN_VALUE) activeSince = t;
            if (firedAt == Long.MIN_VALUE && t - activeSince >= holdMs) firedAt = t;
        }
        if (firedAt != Long.MIN_VALUE) out.add(new Episode(slo.name(), rule.name(), service, route, firedAt, null));
        return out;
    }

    private boolean condition(Slo slo, AlertRule rule, String service, String route, long t) {
        double budget = slo.errorBudget();
        if (rule instanceof BurnRateRule b) {
            long[] shortW = window(service, route, b.shortWindow(), t);
            if (shortW[0] < slo.guardRequests(rule)) return false;
            long[] longW = window(service, route, b.longWindow(), t);
            return BurnRate.exceeds(ratio(shortW) / budget, b.burnRate()) && BurnRate.exceeds(ratio(longW) / budget, b.burnRate());
        }
        ThresholdRule th = (ThresholdRule) rule;
        long[] w = window(service, route, th.window(), t);
        return w[0] >= slo.guardRequests(rule) && BurnRate.exceeds(ratio(w), th.errorRatio());
    }

    private static double ratio(long[] requestsErrors) {
        return requestsErrors[0] == 0 ? 0 : (double) requestsErrors[1] / requestsErrors[0];
    }
}
