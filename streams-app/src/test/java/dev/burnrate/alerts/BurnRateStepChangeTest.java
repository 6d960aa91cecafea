package dev.burnrate.alerts;

import dev.burnrate.slo.Slo;
import dev.burnrate.slo.AlertRule;
import dev.burnrate.slo.DefaultRules;
import dev.burnrate.alerts.RuleEvaluator;
import dev.burnrate.alerts.RuleEvaluator.RuleResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.burnrate.alerts.StepChange.firing;
import static dev.burnrate.alerts.StepChange.resolved;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each default rule against a step change, with the fire and resolve instants computed by hand.
 *
 * <p>Set-up for all cases: a 99.5% SLO (budget 0.005), 100 req/s constantly; from t0 = 0 a fraction x of requests
 * fail, until t1; evaluation every second. Comparisons are strict: a window exactly at the threshold does not count,
 * so a rule fires one second after the instant its long window reaches the threshold exactly, and resolves AT the
 * instant its short window falls back to it.
 *
 * <p>Notation: d = seconds since t0 (errors running), e = seconds since t1 (errors stopped), W = window length.
 * While errors run, a window of length W at time d has error ratio x * min(d, W) / W. After they stop (errors lasted
 * longer than W), it has x * (W - e) / W for e < W.
 */
class BurnRateStepChangeTest {
    private final Slo slo = Slo.of("availability", 0.995);

    private AlertRule rule(String name) {
        return slo.rule(name);
    }

    @Test
    void fastBurnFiresAt43point2MinutesAndResolves1point4MinutesAfterErrorsStop() {
        // burn 14.4 => ratio threshold 14.4 * 0.005 = 0.072. x = 10%, t1 = 2h.
        // 1h window  (W=3600s): 0.10 * d / 3600 > 0.072  <=>  d > 2592s (43.2m)     -> fires at 2593s
        // 5m window  (W=300s) : 0.10 * d / 300  > 0.072  <=>  d > 216s (3.6m): already true by then
        // after t1: 5m window 0.10 * (300 - e) / 300 > 0.072 <=> e < 84s (1.4m) -> false from e = 84s: resolves at
        // 7200 + 84 = 7284s, while the 1h window (0.10 * (3600 - 84) / 3600 = 0.0977) is still above.
        StepChange traffic = new StepChange(100, 10, 0, 7200);
        assertEquals(List.of(firing(2593), resolved(7284)), traffic.run(slo, rule("fast-burn"), -60, 7200 + 3600));

        RuleResult atResolve = RuleEvaluator.evaluate(slo, rule("fast-burn"), w -> traffic.window(w, 7284));
        assertTrue(atResolve.windows().get(0).burnRate() > 14.4, "1h window still burning: " + atResolve);
        assertEquals(14.4, atResolve.windows().get(1).burnRate(), 1e-9, "5m window exactly at the threshold");
        assertEquals(14.4, atResolve.windows().get(1).threshold());
    }

    @Test
    void fastBurnDoesNotFireWhenErrorsStopBeforeTheLongWindowCrosses() {
        // 10% for 40m: the 1h window peaks at 0.10 * 40/60 = 0.0667 <= 0.072, although the 5m window was at 10%.
        StepChange traffic = new StepChange(100, 10, 0, 2400);
        assertEquals(List.of(), traffic.run(slo, rule("fast-burn"), 0, 2 * 3600));
    }

    @Test
    void slowBurnFiresAt3point6HoursAndResolves12MinutesAfterErrorsStop() {
        // burn 6 => ratio threshold 0.03. x = 5%, t1 = 5h = 18000s.
        // 6h window  (W=21600s): 0.05 * d / 21600 > 0.03 <=> d > 12960s (3.6h = 216m) -> fires at 12961s
        // 30m window (W=1800s) : 0.05 * d / 1800  > 0.03 <=> d > 1080s (18m): already true
        // after t1: 30m window 0.05 * (1800 - e) / 1800 > 0.03 <=> e < 720s (12m) -> resolves at 18720s
        StepChange traffic = new StepChange(100, 5, 0, 18000);
        assertEquals(List.of(firing(12961), resolved(18720)), traffic.run(slo, rule("slow-burn"), 0, 18000 + 7200));
    }

    @Test
    void ticketQuickFiresAt18HoursAndResolves30MinutesAfterErrorsStop() {
        // burn 3 => ratio threshold 0.015. x = 2%, t1 = 20h = 72000s.
        // 1d window (W=86400s): 0.02 * d / 86400 > 0.015 <=> d > 64800s (18h) -> fires at 64801s
        // 2h window (W=7200s) : 0.02 * d / 7200  > 0.015 <=> d > 5400s (1.5h): already true
        // after t1: 2h window 0.02 * (7200 - e) / 7200 > 0.015 <=> e < 1800s (30m) -> resolves at 73800s
        StepChange traffic = new StepChange(100, 2, 0, 72000);
        assertEquals(List.of(firing(64801), resolved(73800)), traffic.run(slo, rule("ticket-quick"), 0, 72000 + 7200));
    }

    @Test
    void ticketSlowFiresAt36HoursAndResolves3HoursAfterErrorsStop() {
        // burn 1 => ratio threshold 0.005. x = 1%, t1 = 40h = 144000s.
        // 3d window (W=259200s): 0.01 * d / 259200 > 0.005 <=> d > 129600s (36h) -> fires at 129601s
        // 6h window (W=21600s) : 0.01 * d / 21600  > 0.005 <=> d > 10800s (3h): already true
        // after t1: 6h window 0.01 * (21600 - e) / 21600 > 0.005 <=> e < 10800s (3h) -> resolves at 154800s
        StepChange traffic = new StepChange(100, 1, 0, 144000);
        assertEquals(List.of(firing(129601), resolved(154800)), traffic.run(slo, rule("ticket-slow"), 0, 144000 + 6 * 3600));
    }

    @Test
    void eachDefaultRuleIsStrictAtItsThresholdRatio() {
        // both windows exactly at burnRate * 0.005: not firing; one error more per window: firing
        double[][] table = {{14.4, 0.072}, {6, 0.03}, {3, 0.015}, {1, 0.005}};
        List<AlertRule> rules = DefaultRules.multiWindowMultiBurnRate(java.time.Duration.ofDays(30));
        for (int i = 0; i < rules.size(); i++) {
            AlertRule.BurnRateRule r = (AlertRule.BurnRateRule) rules.get(i);
            assertEquals(table[i][0], r.burnRate());
            long requests = 100_000;
            long atThreshold = Math.round(table[i][1] * requests);
            RuleResult exact = RuleEvaluator.evaluate(slo, r, w -> counts(requests, atThreshold));
            assertFalse(exact.conditionTrue(), r.name() + " at exactly " + table[i][1]);
            RuleResult above = RuleEvaluator.evaluate(slo, r, w -> counts(requests, atThreshold + 1));
            assertTrue(above.conditionTrue(), r.name() + " just above " + table[i][1]);
        }
    }

    static dev.burnrate.core.Counts counts(long requests, long errors) {
        dev.burnrate.core.Counts c = dev.burnrate.core.Counts.of(503, errors);
        c.add(200, requests - errors);
        return c;
    }
}
