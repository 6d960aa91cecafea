package dev.burnrate.query;

import dev.burnrate.core.TimeBuckets;
import dev.burnrate.alerts.AlertId;
import dev.burnrate.alerts.AlertState;
import dev.burnrate.alerts.GroupCounts;
import dev.burnrate.alerts.RuleEvaluator;
import dev.burnrate.slo.AlertRule;
import dev.burnrate.slo.BurnRate;
import dev.burnrate.core.Durations;
import dev.burnrate.slo.GroupBy;
import dev.burnrate.slo.Slo;
import dev.burnrate.slo.SloConfig;
import dev.burnrate.slo.SloPeriod;
import dev.burnrate.windows.BucketStore;
import dev.burnrate.core.Counts;
import dev.burnrate.core.LatencyHistogram;
import dev.burnrate.windows.LatencyBuckets;
import dev.burnrate.windows.TierPlan;
import dev.burnrate.windows.Watermark;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Answers from this instance's own stores. Windows are computed at the partition's last evaluated instant, so the
 * numbers are the ones the alerts were decided on ("asOf" in every answer).
 */
public final class LocalQueries {
    /** Counts like the default SLO (every request, 5xx are errors) for a service no SLO covers. */
    private static final Slo NO_SLO = Slo.of("none", 0.995);
    private final SloConfig slos;
    private final TierPlan plan;
    private final StoreAccess stores;
    private final List<Duration> windows;

    public LocalQueries(SloConfig slos, TierPlan plan, StoreAccess stores, java.util.Collection<Duration> windows) {
        this.slos = slos;
        this.plan = plan;
        this.stores = stores;
        this.windows = List.copyOf(new TreeSet<>(windows));
    }

    public List<Duration> windows() {
        return windows;
    }

    /** The services of this instance's partitions, with their summaries. */
    public List<Views.ServiceSummary> summaries() {
        return localServices().services();
    }

    /** The services of this instance's partitions, and which partitions those are. */
    public Views.LocalServices localServices() {
        List<Views.ServiceSummary> out = new ArrayList<>();
        List<Integer> partitions = stores.localPartitions();
        for (int p : partitions) {
            List<Views.AlertView> alerts = alerts(p);
            try (KeyValueIterator<String, List<String>> it = stores.routes(p).all()) {
                while (it.hasNext()) {
                    KeyValue<String, List<String>> kv = it.next();
                    out.add(summary(kv.key, kv.value, p, alerts));
                }
            }
        }
        return new Views.LocalServices(partitions, out);
    }

    /** Whether this instance holds the service's partition right now. */
    public boolean isLocal(String service) {
        return stores.localPartitions().contains(stores.partitionOf(service));
    }

    private Views.ServiceSummary summary(String service, List<String> routes, int p, List<Views.AlertView> partitionAlerts) {
        long at = asOf(p);
        BucketStore buckets = new BucketStore(stores.buckets(p), plan, true);
        Slo primary = primarySlo(service);
        Slo sli = sliOf(primary);
        List<Views.WindowStats> ws = new ArrayList<>();
        for (Duration w : windows) {
            Counts c = buckets.window(service, BucketStore.ALL_ROUTES, w, at);
            ws.add(stats(Durations.format(w), c, sli, primary));
        }
        List<String> firing = new ArrayList<>();
        for (Views.AlertView a : partitionAlerts) if (a.service().equals(service) && a.state().equals("firing")) firing.add(a.id());
        List<Views.SloBudget> budgets = new ArrayList<>();
        for (Slo slo : slos.slos()) if (slo.coversService(service)) budgets.add(budget(slo, buckets, routes, service, at));
        return new Views.ServiceSummary(service, iso(at), primary == null ? null : primary.name(), ws, firing, budgets);
    }

    /** The SLO's error budget over its period so far, as its budget rules read it. */
    private static Views.SloBudget budget(Slo slo, BucketStore buckets, List<String> routes, String service, long at) {
        Counts period = GroupCounts.period(slo, buckets, routes, service, null, at);
        long periodErrors = slo.badEvents(period);
        long periodRequests = slo.validEvents(period);
        double remaining = BurnRate.remainingBudget(periodRequests, periodErrors, slo.objective());
        SloPeriod.Calendar calendar = slo.period() instanceof SloPeriod.Calendar c ? c : null;
        return new Views.SloBudget(slo.name(), slo.objective() * 100, slo.period().label(),
                calendar == null ? null : calendar.zone().getId(), iso(slo.period().start(at)),
                calendar == null ? null : iso(calendar.nextStart(at)), periodRequests, periodErrors, remaining, 1.0 - remaining);
    }

    /** One service in detail, or null when this instance has no such service. */
    public Views.ServiceDetail detail(String service, int routeLimit) {
        int p = stores.partitionOf(service);
        List<String> routes = stores.routes(p).get(service);
        if (routes == null) return null;
        long at = asOf(p);
        BucketStore buckets = new BucketStore(stores.buckets(p), plan, true);
        LatencyBuckets durations = new LatencyBuckets(stores.buckets(p));
        Slo primary = primarySlo(service);
        Slo sli = sliOf(primary);

        List<Views.WindowDetail> details = new ArrayList<>();
        for (Duration w : windows) {
            Counts total = buckets.window(service, BucketStore.ALL_ROUTES, w, at);
            Views.WindowStats s = stats(Durations.format(w), total, sli, primary);
            Map<String, Long> families = new LinkedHashMap<>();
            for (int f = 1; f <= 5; f++) families.put(f + "xx", total.family(f));
            Map<String, Long> codes = new TreeMap<>();
            for (int code : total.codes()) if (code >= 500) codes.put(Integer.toString(code), total.code(code));
            List<Views.RouteStats> byRoute = new ArrayList<>();
            for (String r : routes) {
                Counts c = buckets.window(service, r, w, at);
                if (c.isEmpty()) continue;
                long e = sli.badEvents(c);
                long n = sli.validEvents(c);
                byRoute.add(new Views.RouteStats(r, n, e, BurnRate.errorRatio(n, e), null));
            }
            int routesTotal = byRoute.size();
            byRoute.sort(Comparator.comparingLong(Views.RouteStats::errors).reversed()
                    .thenComparing(Comparator.comparingLong(Views.RouteStats::requests).reversed()).thenComparing(Views.RouteStats::route));
            if (byRoute.size() > routeLimit) byRoute = new ArrayList<>(byRoute.subList(0, routeLimit));
            byRoute.replaceAll(r -> new Views.RouteStats(r.route(), r.requests(), r.errors(), r.errorRatio(), latency(durations, service, r.route(), w, at)));
            details.add(new Views.WindowDetail(s.window(), s.requests(), s.errors(), s.errorRatio(), s.burnRate(), families, codes, byRoute, routesTotal,
                    latency(durations, service, BucketStore.ALL_ROUTES, w, at)));
        }

        List<Views.SloStatus> sloStatus = new ArrayList<>();
        for (Slo slo : slos.slos()) {
            if (!slo.coversService(service)) continue;
            Views.SloBudget budget = budget(slo, buckets, routes, service, at);
            List<Views.RuleStatus> rules = new ArrayList<>();
            // the groups the evaluator decides on: the service, or each of its routes the SLO selects
            List<String> groups = new ArrayList<>();
            if (slo.groupBy() == GroupBy.SERVICE) groups.add(null);
            else for (String r : routes) if (slo.matches(service, r)) groups.add(r);
            for (AlertRule rule : slo.rules()) {
                for (String group : groups) {
                    RuleEvaluator.RuleResult r = RuleEvaluator.evaluate(slo, rule, w -> GroupCounts.of(slo, buckets, routes, service, group, w, at),
                            () -> GroupCounts.period(slo, buckets, routes, service, group, at),
                            () -> GroupCounts.hadTraffic(slo, buckets, routes, service, group, at));
                    List<Views.RuleWindow> rws = new ArrayList<>();
                    for (RuleEvaluator.WindowResult wr : r.windows()) {
                        rws.add(new Views.RuleWindow(wr.window(), wr.requests(), wr.errors(), wr.errorRatio(), wr.burnRate(), wr.threshold()));
                    }
                    rules.add(new Views.RuleStatus(rule.name(), rule.kind(), rule.severity(), group, r.conditionTrue(), slo.guardRequests(rule), rws));
                }
            }
            sloStatus.add(new Views.SloStatus(slo.name(), slo.objective() * 100, budget.period(), budget.timezone(), budget.periodStart(),
                    budget.resetsAt(), slo.badDefinition(), slo.groupBy().configName(), budget.periodRequests(), budget.periodErrors(),
                    budget.remainingBudget(), budget.budgetBurned(), rules));
        }
        List<Views.AlertView> alerts = alerts(p).stream().filter(a -> a.service().equals(service)).toList();
        return new Views.ServiceDetail(service, iso(at), details, sloStatus, alerts);
    }

    /**
     * Requests and errors of a service (or one route) per step over [from, to), from the finest bucket tier whose
     * resolution divides the step and whose retention still covers {@code from}.
     */
    public Views.TimeSeries timeseries(String service, String route, long from, long to, Duration step) {
        int p = stores.partitionOf(service);
        List<String> routes = stores.routes(p).get(service);
        if (routes == null) return null;
        if (route != null && !routes.contains(route)) {
            throw new NotFoundException("service " + service + " has no route " + route);
        }
        long at = asOf(p);
        long stepMs = step.toMillis();
        String key = route == null ? BucketStore.ALL_ROUTES : route;
        TierPlan.Tier tier = null;
        for (TierPlan.Tier t : plan.tiers()) {
            boolean fits = stepMs % t.resolutionMs() == 0 && t.bucketStart(at) - plan.retentionMs(t, service, key) <= from;
            if (fits && (tier == null || t.resolutionMs() > tier.resolutionMs())) tier = t;
        }
        if (tier == null) {
            StringBuilder kept = new StringBuilder();
            for (TierPlan.Tier t : plan.tiers()) {
                kept.append(kept.isEmpty() ? "" : ", ").append(Durations.format(Duration.ofMillis(t.resolutionMs())))
                        .append(" buckets for ").append(Durations.format(Duration.ofMillis(plan.retentionMs(t, service, key))));
            }
            throw new BadRequestException("no bucket resolution serves step " + Durations.format(step) + " back to " + iso(from)
                    + " (kept" + (route == null ? "" : " for route " + route) + ": " + kept + "); use a coarser step or a later 'from'");
        }
        Slo sli = sliOf(primarySlo(service));
        BucketStore buckets = new BucketStore(stores.buckets(p), plan, true);
        long start = TimeBuckets.start(from, stepMs);
        TreeMap<Long, Counts> perStep = new TreeMap<>();
        for (long t = start; t < to; t += stepMs) perStep.put(t, new Counts());
        for (KeyValue<Long, Counts> b : buckets.buckets(service, key, tier, start, to)) {
            perStep.get(TimeBuckets.start(b.key, stepMs)).add(b.value);
        }
        List<Views.Point> points = new ArrayList<>();
        perStep.forEach((t, c) -> {
            long e = sli.badEvents(c);
            long n = sli.validEvents(c);
            points.add(new Views.Point(iso(t), n, e, BurnRate.errorRatio(n, e)));
        });
        return new Views.TimeSeries(service, route, iso(start), iso(to), Durations.format(step), String.join(",", sli.badDefinition()), points);
    }

    /**
     * The burn rate of every window of an SLO's rules at each step instant in [from, min(to, asOf)], for charts.
     * Recent points are what the rules read at t (exact at the recent end, {@link BucketStore#window}); older ones,
     * whose recent ends the finer tiers no longer hold, are the complete buckets of [end - window, end), end = t
     * rounded down to the resolution of the finest tier that still holds them; null where no tier does any more.
     *
     * @param sloName the SLO, or null for the service's primary SLO
     */
    public Views.BurnRateSeries burnRates(String service, String sloName, long from, long to, Duration step) {
        int p = stores.partitionOf(service);
        List<String> routes = stores.routes(p).get(service);
        if (routes == null) return null;
        Slo slo = sloName == null ? primarySlo(service)
                : slos.slos().stream().filter(x -> x.name().equals(sloName) && x.coversService(service)).findFirst().orElse(null);
        if (slo == null) throw new NotFoundException(sloName == null ? "no SLO covers service " + service : "SLO " + sloName + " does not cover service " + service);
        List<String> keys = slo.selector().routes().isEmpty() ? List.of(BucketStore.ALL_ROUTES)
                : routes.stream().filter(r -> slo.matches(service, r)).toList();
        long at = asOf(p);
        long stepMs = step.toMillis();
        long first = TimeBuckets.startAtOrAfter(from, stepMs);
        int n = first > Math.min(to, at) ? 0 : (int) ((Math.min(to, at) - first) / stepMs + 1);
        TreeSet<Duration> windows = new TreeSet<>();
        List<Views.ChartRule> rules = new ArrayList<>();
        for (AlertRule rule : slo.rules()) {
            // budget and no-traffic rules have no burn-rate threshold to draw
            if (!Slo.isWindowThreshold(rule)) continue;
            windows.addAll(rule.windows());
            rules.add(new Views.ChartRule(rule.name(), rule.severity(), rule.windows().stream().map(Durations::format).toList(),
                    slo.thresholdBurnRate(rule)));
        }
        BucketStore buckets = new BucketStore(stores.buckets(p), plan, true);
        Map<Duration, double[]> burn = new LinkedHashMap<>();
        for (Duration w : windows) burn.put(w, windowSeries(slo, buckets, service, keys, w, first, n, stepMs, at));
        List<Views.BurnPoint> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Double> values = new LinkedHashMap<>();
            for (Map.Entry<Duration, double[]> e : burn.entrySet()) {
                double v = e.getValue()[i];
                values.put(Durations.format(e.getKey()), Double.isNaN(v) ? null : v);
            }
            points.add(new Views.BurnPoint(iso(first + i * stepMs), values));
        }
        return new Views.BurnRateSeries(service, slo.name(), slo.objective() * 100, iso(at), iso(from), iso(to), Durations.format(step), rules, points);
    }

    /**
     * Burn rate over window w at instants first + i * stepMs: the rules' own window where the finer tiers still hold
     * its recent end (the last minutes), else the complete buckets of the finest tier that still holds them; NaN
     * where no tier does any more.
     */
    private double[] windowSeries(Slo slo, BucketStore buckets, String service, List<String> keys, Duration w, long first, int n, long stepMs, long at) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, Double.NaN);
        for (int i = n - 1; i >= 0 && buckets.exactAt(w, first + i * stepMs, at); i--) {
            Counts sum = new Counts();
            for (String key : keys) sum.add(buckets.window(service, key, w, first + i * stepMs));
            out[i] = BurnRate.errorRatio(slo.validEvents(sum), slo.badEvents(sum)) / slo.errorBudget();
        }
        long wMs = w.toMillis();
        for (TierPlan.Tier t : plan.tiers()) { // finest first
            long res = t.resolutionMs();
            if (wMs % res != 0 || n == 0) continue;
            long kept = t.oldestHeld(at);
            long lo = Math.max(kept, t.bucketStart(first) - wMs);
            long hi = t.bucketStart(first + (n - 1) * stepMs);
            if (hi - wMs < kept) continue;
            int m = (int) ((hi - lo) / res);
            long[] req = new long[m + 1];
            long[] err = new long[m + 1];
            for (String key : keys) {
                for (KeyValue<Long, Counts> b : buckets.buckets(service, key, t, lo, hi)) {
                    int idx = (int) ((b.key - lo) / res) + 1;
                    req[idx] += slo.validEvents(b.value);
                    err[idx] += slo.badEvents(b.value);
                }
            }
            for (int i = 1; i <= m; i++) {
                req[i] += req[i - 1];
                err[i] += err[i - 1];
            }
            for (int i = 0; i < n; i++) {
                if (!Double.isNaN(out[i])) continue;
                long end = t.bucketStart(first + i * stepMs);
                if (end - wMs < lo) continue;
                int a = (int) ((end - wMs - lo) / res);
                int b = (int) ((end - lo) / res);
                out[i] = BurnRate.errorRatio(req[b] - req[a], err[b] - err[a]) / slo.errorBudget();
            }
        }
        return out;
    }

    /** Alerts this instance holds: pending, firing and recently resolved. */
    public List<Views.AlertView> alerts() {
        return localAlerts().alerts();
    }

    /** Alerts this instance holds, and the partitions they come from. */
    public Views.LocalAlerts localAlerts() {
        List<Views.AlertView> out = new ArrayList<>();
        List<Integer> partitions = stores.localPartitions();
        for (int p : partitions) out.addAll(alerts(p));
        return new Views.LocalAlerts(partitions, out);
    }

    /** How many partitions the windows stage has (every one must be answered for a list to be complete). */
    public int partitions() {
        return stores.partitions();
    }

    private List<Views.AlertView> alerts(int p) {
        List<Views.AlertView> out = new ArrayList<>();
        try (KeyValueIterator<AlertId, AlertState> it = stores.alertStates(p).all()) {
            while (it.hasNext()) {
                KeyValue<AlertId, AlertState> kv = it.next();
                AlertState s = kv.value;
                if (s.phase() == AlertState.Phase.INACTIVE) continue;
                out.add(view(kv.key, s));
            }
        }
        return out;
    }

    private Views.AlertView view(AlertId id, AlertState s) {
        Slo slo = slos.slos().stream().filter(x -> x.name().equals(id.slo())).findFirst().orElse(null);
        String severity = null;
        if (slo != null) {
            for (AlertRule r : slo.rules()) if (r.name().equals(id.rule())) severity = r.severity();
        }
        return new Views.AlertView(id.toString(), id.slo(), id.rule(), severity, id.service(), id.route(), s.phase().name().toLowerCase(java.util.Locale.ROOT),
                isoOrNull(s.activeSinceMs()), isoOrNull(s.firedAtMs()), isoOrNull(s.resolvedAtMs()), isoOrNull(s.clearedSinceMs()));
    }

    private Views.WindowStats stats(String window, Counts c, Slo sli, Slo primary) {
        long e = sli.badEvents(c);
        long n = sli.validEvents(c);
        double ratio = BurnRate.errorRatio(n, e);
        return new Views.WindowStats(window, n, e, ratio, primary == null ? null : BurnRate.burnRate(ratio, primary.objective()));
    }

    /** p50, p95 and p99 of a window, or null when the window is longer than the minutes kept for them. */
    private static Views.Latency latency(LatencyBuckets durations, String key, String route, Duration w, long at) {
        LatencyHistogram h = durations.window(key, route, w, at);
        if (h == null) return null;
        return new Views.Latency(iso(LatencyBuckets.firstMinute(w, at)), h.total(), orNull(h.percentile(0.50)),
                orNull(h.percentile(0.95)), orNull(h.percentile(0.99)));
    }

    private static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** What the service's windows count as requests and errors: its primary SLO's SLI, or 5xx of all requests when no SLO covers it. */
    private static Slo sliOf(Slo primary) {
        return primary == null ? NO_SLO : primary;
    }

    private Slo primarySlo(String service) {
        for (Slo s : slos.slos()) if (s.coversService(service)) return s;
        return null;
    }

    private long asOf(int partition) {
        ReadOnlyKeyValueStore<Integer, Long> progress = stores.progress(partition);
        Long clock = progress.get(Watermark.CLOCK_KEY);
        return clock != null ? clock : System.currentTimeMillis();
    }

    static String iso(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }

    private static String isoOrNull(long ms) {
        return ms == AlertState.UNSET ? null : iso(ms);
    }
}
