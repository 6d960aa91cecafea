package dev.burnrate.alerts;

import dev.burnrate.slo.AlertRule;
import dev.burnrate.slo.AlertRule.BurnRateRule;
import dev.burnrate.slo.AlertRule.ThresholdRule;
import dev.burnrate.slo.BurnRate;
import dev.burnrate.slo.Slo;
import dev.burnrate.windows.Counts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Evaluates one rule of one SLO for one group at one instant. Pure: the caller supplies the group's counts over
 * each window the rule needs ({@link AlertRule#windows()}).
 *
 * <ul>
 * <li>Burn-rate rule: true when the burn rate over BOTH windows is strictly above the rule's burn rate and the short
 * window has at least {@link Slo#minRequests()} requests.</li>
 * <li>Threshold rule: true when the error ratio over the window is strictly above the rule's error ratio and the
 * window has at least {@link Slo#minRequests()} requests. The hold ({@code for:}) is the state machine's business.</li>
 * </ul>
 * "Strictly above" tolerates floating-point noise: see {@link BurnRate#exceeds}.
 */
public final class RuleEvaluator {
    /**
     * @param threshold what this window was compared with: the rule's burn rate (burn-rate rule, compared with
     *                  {@code burnRate}) or the rule's error ratio (threshold rule, compared with {@code errorRatio})
     */
    public record WindowResult(Duration window, long requests, long errors, double errorRatio, double burnRate,
                               double threshold) {
    }

    /** @param windows one per {@link AlertRule#windows()}, same order (long window first) */
    public record RuleResult(boolean conditionTrue, List<WindowResult> windows) {
        public RuleResult {
            windows = List.copyOf(windows);
        }
    }

    private RuleEvaluator() {
    }

    /** @param window counts of the group over a window ending at the evaluation instant; null counts as empty */
    public static RuleResult evaluate(Slo slo, AlertRule rule, Function<Duration, Counts> window) {
        boolean burnRateRule = rule instanceof BurnRateRule;
        double threshold = burnRateRule ? ((BurnRateRule) rule).burnRate() : ((ThresholdRule) rule).errorRatio();
        List<WindowResult> results = new ArrayList<>(2);
        boolean allExceed = true;
        boolean guardMet = false;
        for (Duration w : rule.windows()) {
            Counts c = window.apply(w);
            long requests = c == null ? 0 : c.requests();
            long errors = c == null ? 0 : slo.errors().errors(c);
            double ratio = BurnRate.errorRatio(requests, errors);
            double burn = ratio / slo.errorBudget();
            results.add(new WindowResult(w, requests, errors, ratio, burn, threshold));
            double compared = burnRateRule ? burn : ratio;
            allExceed &= BurnRate.exceeds(compared, threshold);
            if (w.equals(rule.guardWindow())) guardMet = requests >= slo.minRequests();
        }
        return new RuleResult(allExceed && guardMet, results);
    }
}
