package dev.burnrate.alerts;

import dev.burnrate.slo.AlertRule;
import dev.burnrate.slo.AlertRule.BudgetRule;
import dev.burnrate.slo.AlertRule.BurnRateRule;
import dev.burnrate.slo.AlertRule.NoTrafficRule;
import dev.burnrate.slo.AlertRule.WindowRule;
import dev.burnrate.slo.BurnRate;
import dev.burnrate.core.Durations;
import dev.burnrate.slo.Slo;
import dev.burnrate.core.Counts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Evaluates one rule of one SLO for one group at one instant. Pure: the caller supplies the group's counts over
 * each window the rule needs ({@link AlertRule#windows()}) and, for a budget rule, over the SLO's period so far.
 *
 * <ul>
 * <li>Burn-rate rule: true when the burn rate over BOTH windows is strictly above the rule's burn rate and the short
 * window has at least {@link Slo#guardRequests} requests.</li>
 * <li>Threshold rule: true when the error ratio over the window is strictly above the rule's error ratio and the
 * window has at least {@link Slo#guardRequests} requests. The hold ({@code for:}) is the state machine's business.</li>
 * <li>Budget rule: true when the share of the error budget left over the period so far is strictly below the
 * rule's, i.e. the period's burn rate is strictly above {@code 1 - remainingBelow}, and the period has at least
 * {@link Slo#guardRequests} requests.</li>
 * <li>No-traffic rule: true when the window has no request at all and the group had traffic before (the
 * caller says: within the SLO's longest period, or the alert is already active).</li>
 * </ul>
 * "Strictly above" tolerates floating-point noise: see {@link BurnRate#exceeds}.
 */
public final class RuleEvaluator {
    /**
     * @param window    the window ({@code 5m}) or, for a budget rule, the period ({@code 30d}, {@code month})
     * @param threshold what this window was compared with: the rule's burn rate (burn-rate rule, compared with
     *                  {@code burnRate}), the rule's error ratio (threshold rule, compared with {@code errorRatio}),
     *                  {@code 1 - remainingBelow} (budget rule, compared with {@code burnRate}: the budget left is
     *                  {@code 1 - burnRate}), or 0 (no-traffic rule, compared with {@code requests})
     */
    public record WindowResult(String window, long requests, long errors, double errorRatio, double burnRate,
                               double threshold) {
        /** The share of the error budget left, were this window the whole period: {@code 1 - burnRate}. */
        public double remainingBudget() {
            return 1.0 - burnRate;
        }
    }

    /** @param windows one per {@link AlertRule#windows()}, same order (long window first); the period for a budget rule */
    public record RuleResult(boolean conditionTrue, List<WindowResult> windows) {
        public RuleResult {
            windows = List.copyOf(windows);
        }
    }

    private RuleEvaluator() {
    }

    /**
     * @param window     counts of the group over a window ending at the evaluation instant; null counts as empty
     * @param period     counts of the group over the SLO's period so far (only a budget rule asks)
     * @param hadTraffic whether the group had traffic before the instant (only a no-traffic rule asks, and only when
     *                   its window is empty)
     */
    public static RuleResult evaluate(Slo slo, AlertRule rule, Function<Duration, Counts> window, Supplier<Counts> period,
                                      BooleanSupplier hadTraffic) {
        if (rule instanceof BudgetRule b) {
            WindowResult r = result(slo, slo.period().label(), period.get(), 1.0 - b.remainingBelow());
            return new RuleResult(r.requests() >= slo.guardRequests(rule) && BurnRate.exceeds(r.burnRate(), r.threshold()), List.of(r));
        }
        if (rule instanceof NoTrafficRule n) {
            WindowResult r = result(slo, Durations.format(n.window()), window.apply(n.window()), 0);
            return new RuleResult(r.requests() == 0 && hadTraffic.getAsBoolean(), List.of(r));
        }
        // compared in the rule's own units, as written: a burn rate, or an error ratio
        boolean burnRateRule = rule instanceof BurnRateRule;
        double threshold = burnRateRule ? slo.thresholdBurnRate(rule) : slo.thresholdErrorRatio(rule);
        List<WindowResult> results = new ArrayList<>(2);
        boolean allExceed = true;
        boolean guardMet = false;
        long guard = slo.guardRequests(rule);
        for (Duration w : rule.windows()) {
            WindowResult r = result(slo, Durations.format(w), window.apply(w), threshold);
            results.add(r);
            allExceed &= BurnRate.exceeds(burnRateRule ? r.burnRate() : r.errorRatio(), threshold);
            if (w.equals(((WindowRule) rule).guardWindow())) guardMet = r.requests() >= guard;
        }
        return new RuleResult(allExceed && guardMet, results);
    }

    /** {@link #evaluate(Slo, AlertRule, Function, Supplier, BooleanSupplier)} for a burn-rate or threshold rule. */
    public static RuleResult evaluate(Slo slo, AlertRule rule, Function<Duration, Counts> window) {
        if (rule instanceof BudgetRule || rule instanceof NoTrafficRule) {
            throw new IllegalArgumentException("rule " + rule.name() + " needs the period's counts or the group's traffic history");
        }
        return evaluate(slo, rule, window, null, null);
    }

    private static WindowResult result(Slo slo, String label, Counts c, double threshold) {
        long requests = c == null ? 0 : slo.validEvents(c);
        long errors = c == null ? 0 : slo.badEvents(c);
        double ratio = BurnRate.errorRatio(requests, errors);
        return new WindowResult(label, requests, errors, ratio, ratio / slo.errorBudget(), threshold);
    }
}
