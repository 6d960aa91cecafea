package dev.burnrate.slo;

import dev.burnrate.core.Counts;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One service-level objective.
 *
 * @param name        unique, {@code [a-z0-9_.-]+}
 * @param objective   target success ratio, strictly between 0 and 1 ({@code 0.995}; the file says {@code 99.5})
 * @param period      the period the budget is spent over: rolling (30d by default) or a calendar month/week
 * @param selector    which services/routes it covers
 * @param errors      which statuses are errors
 * @param groupBy     what one alert is computed for
 * @param minRequests requests the guard window of a rule must have seen before the rule may fire (0 = no guard)
 * @param labels      copied onto its alerts (insertion order kept)
 * @param annotations copied onto its alerts (insertion order kept)
 * @param rules       its alerting rules, unique names
 * @param latency     for a latency SLO, what makes a request bad (then {@code errors} is only for display); else null
 */
public record Slo(String name, double objective, SloPeriod period, Selector selector, ErrorDefinition errors,
                  GroupBy groupBy, long minRequests, Map<String, String> labels, Map<String, String> annotations,
                  List<AlertRule> rules, LatencySli latency) {
    public static final Pattern NAME = Pattern.compile("[a-z0-9_.-]+");
    public static final SloPeriod DEFAULT_PERIOD = SloPeriod.rolling(Duration.ofDays(30));
    /**
     * Default {@link #minRequests()}: 20 requests in the guard (short) window, so a service doing a handful of requests
     * per minute (20 per 5m is 4/min) still gets fast-burn coverage. A rule may need more: see
     * {@link #guardRequests(AlertRule)}.
     */
    public static final long DEFAULT_MIN_REQUESTS = 20;

    /** A status-based SLO. */
    public Slo(String name, double objective, SloPeriod period, Selector selector, ErrorDefinition errors, GroupBy groupBy,
               long minRequests, Map<String, String> labels, Map<String, String> annotations, List<AlertRule> rules) {
        this(name, objective, period, selector, errors, groupBy, minRequests, labels, annotations, rules, null);
    }

    public Slo {
        if (name == null || !NAME.matcher(name).matches()) throw new IllegalArgumentException("SLO name must match [a-z0-9_.-]+, got '" + name + "'");
        if (!(objective > 0 && objective < 1)) throw new IllegalArgumentException("objective must be between 0 and 1 (exclusive), got " + objective);
        if (period == null) throw new IllegalArgumentException("period is required");
        if (minRequests < 0) throw new IllegalArgumentException("minRequests must be >= 0");
        if (rules.isEmpty()) throw new IllegalArgumentException("SLO " + name + " has no rules");
        Set<String> ruleNames = new HashSet<>();
        for (AlertRule r : rules) {
            if (!ruleNames.add(r.name())) throw new IllegalArgumentException("SLO " + name + ": duplicate rule name " + r.name());
        }
        selector = selector == null ? Selector.ALL : selector;
        errors = errors == null ? ErrorDefinition.DEFAULT : errors;
        groupBy = groupBy == null ? GroupBy.SERVICE : groupBy;
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels == null ? Map.of() : labels));
        annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations == null ? Map.of() : annotations));
        rules = List.copyOf(rules);
    }

    /** An SLO with every default but name and objective: 30d, all traffic, 5xx, by service, default rules. */
    public static Slo of(String name, double objective) {
        return new Slo(name, objective, DEFAULT_PERIOD, Selector.ALL, ErrorDefinition.DEFAULT, GroupBy.SERVICE,
                DEFAULT_MIN_REQUESTS, Map.of(), Map.of(), DefaultRules.multiWindowMultiBurnRate(DEFAULT_PERIOD.nominal()));
    }

    public Slo withRules(List<AlertRule> newRules) {
        return new Slo(name, objective, period, selector, errors, groupBy, minRequests, labels, annotations, newRules, latency);
    }

    public Slo withMinRequests(long n) {
        return new Slo(name, objective, period, selector, errors, groupBy, n, labels, annotations, rules, latency);
    }

    public Slo withErrors(ErrorDefinition e) {
        return new Slo(name, objective, period, selector, e, groupBy, minRequests, labels, annotations, rules, latency);
    }

    /** The requests the SLI counts in c: all of them, or for a latency SLO those it does not leave out. */
    public long validEvents(Counts c) {
        return latency == null ? c.requests() : latency.events(c);
    }

    /** The bad requests in c: errors, or for a latency SLO slow requests (and errors, when it counts them). */
    public long badEvents(Counts c) {
        return latency == null ? errors.errors(c) : latency.bad(c);
    }

    /** What counts as bad, in the config file's terms: {@code ["5xx"]}, or {@code [">300ms", "5xx"]}. */
    public List<String> badDefinition() {
        return latency == null ? errors.toList() : latency.toList();
    }

    /** 1 - objective, computed in decimal ({@code 0.005} for {@code 0.995}, not {@code 0.0050000000000000044}). */
    public double errorBudget() {
        return BurnRate.errorBudget(objective);
    }

    /**
     * The requests a rule's guard window must hold before the rule may fire. A burn-rate or threshold rule: at least
     * {@link #minRequests()}, and at least 1 / the rule's threshold error ratio, so that one failed request alone is
     * never above the threshold. On a 99.5% SLO one failure in 20 requests (5%) is below fast-burn's 7.2%, but above
     * slow-burn's 3% up to 33 requests, and above the ticket rules' 1.5% and 0.5% up to 66 and 199: with the bare 20
     * a single failure paged (slow-burn) and opened tickets. A budget rule: {@link #minRequests()} over the period
     * (it accounts for the budget, and one failure may really spend it). A no-traffic rule: none. 0
     * ({@code minRequests: 0}) turns the guard off.
     */
    public long guardRequests(AlertRule rule) {
        if (minRequests == 0 || rule instanceof AlertRule.NoTrafficRule) return 0;
        if (!isWindowThreshold(rule)) return minRequests;
        // one failure in n requests is above the threshold while n < 1 / ratio; the epsilon keeps 1 / 0.005 at 200
        return Math.max(minRequests, (long) Math.ceil(1.0 / thresholdErrorRatio(rule) - 1e-9));
    }

    /** Whether the rule compares its windows with a threshold: a burn-rate or a threshold rule. */
    public static boolean isWindowThreshold(AlertRule rule) {
        return rule instanceof AlertRule.BurnRateRule || rule instanceof AlertRule.ThresholdRule;
    }

    /**
     * A burn-rate or threshold rule's threshold as a burn rate: a burn-rate rule's own value as written, a threshold
     * rule's error ratio over the budget. The one place a rule's type picks its threshold (with {@link
     * #thresholdErrorRatio}).
     */
    public double thresholdBurnRate(AlertRule rule) {
        if (rule instanceof AlertRule.BurnRateRule b) return b.burnRate();
        if (rule instanceof AlertRule.ThresholdRule t) return t.errorRatio() / errorBudget();
        throw new IllegalArgumentException("rule " + rule.name() + " has no window threshold");
    }

    /** A burn-rate or threshold rule's threshold as an error ratio: a threshold rule's own value as written. */
    public double thresholdErrorRatio(AlertRule rule) {
        if (rule instanceof AlertRule.ThresholdRule t) return t.errorRatio();
        if (rule instanceof AlertRule.BurnRateRule b) return b.burnRate() * errorBudget();
        throw new IllegalArgumentException("rule " + rule.name() + " has no window threshold");
    }

    public boolean matches(String service, String route) {
        return selector.matches(service, route);
    }

    public AlertRule rule(String ruleName) {
        for (AlertRule r : rules) if (r.name().equals(ruleName)) return r;
        return null;
    }

    /** Whether the SLO covers any route of this service (its service globs match, or it has none). */
    public boolean coversService(String service) {
        if (selector.services().isEmpty()) return true;
        for (Glob g : selector.services()) if (g.matches(service)) return true;
        return false;
    }
}
