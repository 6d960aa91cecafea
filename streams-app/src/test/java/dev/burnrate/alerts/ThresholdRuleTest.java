package dev.burnrate.alerts;

import dev.burnrate.slo.Slo;
import dev.burnrate.alerts.AlertState;
import dev.burnrate.alerts.AlertState.Phase;
import dev.burnrate.alerts.AlertStateMachine;
import dev.burnrate.alerts.RuleEvaluator;
import dev.burnrate.alerts.RuleEvaluator.RuleResult;
import dev.burnrate.alerts.Transition;
import dev.burnrate.slo.AlertRule.ThresholdRule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.burnrate.alerts.StepChange.firing;
import static dev.burnrate.alerts.StepChange.resolved;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Threshold rules with a hold ("warning above 1% for 5m", "critical above 5% for 2m"), 100 req/s, 10% errors. */
class ThresholdRuleTest {
    private final ThresholdRule warning = new ThresholdRule("error-rate-warning", "warning", 0.01, Duration.ofMinutes(5), Duration.ofMinutes(5));
    private final ThresholdRule critical = new ThresholdRule("error-rate-critical", "critical", 0.05, Duration.ofMinutes(5), Duration.ofMinutes(2));
    private final Slo slo = Slo.of("availability", 0.995).withRules(List.of(warning, critical));

    @Test
    void criticalGoesPendingThenFiresAfterItsHoldAndResolves() {
        // 5m window: 0.10 * d / 300 > 0.05 <=> d > 150s -> true (PENDING) from 151s; fires at 151 + 120 = 271s.
        // Errors stop at 600s: 0.10 * (300 - e) / 300 > 0.05 <=> e < 150s -> false at 750s: RESOLVED.
        StepChange traffic = new StepChange(100, 10, 0, 600);
        assertEquals(List.of(firing(271), resolved(750)), traffic.run(slo, critical, 0, 1200));

        // the state in between: pending, not yet emitted
        AlertState s = null;
        for (long t = 0; t <= 200; t++) {
            long now = t;
            s = AlertStateMachine.step(s, RuleEvaluator.evaluate(slo, critical, w -> traffic.window(w, now)).conditionTrue(),
                    t * 1000, critical.hold()).next();
        }
        assertEquals(Phase.PENDING, s.phase());
        assertEquals(151_000, s.activeSinceMs());
    }

    @Test
    void warningFiresAfterFiveMinutesAboveOnePercent() {
        // 0.10 * d / 300 > 0.01 <=> d > 30s -> PENDING from 31s; fires at 31 + 300 = 331s.
        StepChange traffic = new StepChange(100, 10, 0, 3600);
        assertEquals(List.of(firing(331)), traffic.run(slo, warning, 0, 1800));
    }

    @Test
    void pendingThatClearsBeforeItsHoldEmitsNothing() {
        // A 45s burst of 10% errors. The 5m window holds 10 * min(t, 45) error-seconds..., i.e. overlap
        // o(t) = min(t, 45) - max(0, t - 300); ratio 0.10 * o / 300 > 0.01 <=> o > 30s: from 31s until 314s
        // (at 315s, o = 30 exactly). Pending for 283s < 5m hold: it never fires, so nothing is resolved either.
        StepChange traffic = new StepChange(100, 10, 0, 45);
        assertEquals(List.of(), traffic.run(slo, warning, 0, 1800));

        AlertState s = null;
        for (long t = 0; t <= 314; t++) {
            long now = t;
            s = AlertStateMachine.step(s, RuleEvaluator.evaluate(slo, warning, w -> traffic.window(w, now)).conditionTrue(),
                    t * 1000, warning.hold()).next();
        }
        assertEquals(Phase.PENDING, s.phase());
        AlertStateMachine.Step cleared = AlertStateMachine.step(s,
                RuleEvaluator.evaluate(slo, warning, w -> traffic.window(w, 315)).conditionTrue(), 315_000, warning.hold());
        assertEquals(Transition.NONE, cleared.emitted());
        assertTrue(cleared.deletable());
    }

    @Test
    void thresholdIsAnErrorRatioNotABurnRateAndIsStrict() {
        RuleResult atFive = RuleEvaluator.evaluate(slo, critical, w -> BurnRateStepChangeTest.counts(1000, 50));
        assertFalse(atFive.conditionTrue(), "5% is not above 5%");
        assertEquals(0.05, atFive.windows().get(0).threshold());
        assertEquals(0.05, atFive.windows().get(0).errorRatio());
        assertEquals(10.0, atFive.windows().get(0).burnRate(), 1e-9, "burn rate still reported as evidence");
        assertTrue(RuleEvaluator.evaluate(slo, critical, w -> BurnRateStepChangeTest.counts(1000, 51)).conditionTrue());
    }
}
