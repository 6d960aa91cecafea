package dev.burnrate.alerts;

import static dev.burnrate.alerts.StepChange.firing;
import static dev.burnrate.alerts.StepChange.resolved;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.slo.Slo;
import dev.burnrate.slo.AlertRule;
import dev.burnrate.alerts.AlertState;
import dev.burnrate.alerts.AlertStateMachine;
import dev.burnrate.alerts.RuleEvaluator;
import dev.burnrate.alerts.Transition;
import dev.burnrate.slo.AlertRule.BudgetRule;
import dev.burnrate.slo.AlertRule.NoTrafficRule;
import dev.burnrate.core.Counts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * Budget rules against an analytic period: x seconds into the period it holds 10x requests (10/s), and 1 error per
 * second during [1000s, 2000s) (a 10% error ratio, 10x the 1% budget of a 99% SLO). Left = 1 - errors / (0.01 *
 * requests). Also the no-traffic rule's condition.
 */
class BudgetRuleTest {
    private final BudgetRule ticket = new BudgetRule("budget-low", "ticket", 0.25, Duration.ZERO);
    private final BudgetRule page = new BudgetRule("budget-exhausted", "page", 0.0, Duration.ZERO);
    private final Slo slo = Slo.of("shop", 0.99).withRules(List.of(ticket, page));

    static Counts period(long x) {
        long errors = Math.max(0, Math.min(x, 2000) - 1000);
        Counts c = Counts.of(500, errors);
        c.add(200, 10 * x - errors);
        return c;
    }

    /** Evaluates the rule once per second over [from, to], x seconds into the period, driving the state machine. */
    static List<StepChange.Event> run(Slo slo, AlertRule rule, LongFunction<Counts> period, long from, long to) {
        List<StepChange.Event> events = new ArrayList<>();
        AlertState state = null;
        for (long x = from; x <= to; x++) {
            long now = x;
            boolean on = RuleEvaluator.evaluate(slo, rule, w -> null, () -> period.apply(now), () -> true).conditionTrue();
            AlertStateMachine.Step step = AlertStateMachine.step(state, on, x * 1000, rule.hold());
            if (step.emitted() != Transition.NONE) events.add(new StepChange.Event(x, step.emitted()));
            state = step.next();
        }
        return events;
    }

    @Test
    void ticketAtAQuarterLeftAndPageWhenOverspentFireAndResolveAtTheHandComputedInstants() {
        // ticket: left < 0.25 <=> (x - 1000) > 0.0075 * 10x <=> 0.925x > 1000 <=> x > 1081.08: fires at 1082.
        // After the incident: 1000 > 0.075x <=> x < 13333.3: resolves at 13334.
        assertEquals(List.of(firing(1082), resolved(13334)), run(slo, ticket, BudgetRuleTest::period, 0, 20_000));
        // page: left < 0 <=> (x - 1000) > 0.1x <=> x > 1111.1: fires at 1112. Resolves when 1000 <= 0.1x: at
        // x = 10000 the budget is spent exactly (0 left), which is not below 0.
        assertEquals(List.of(firing(1112), resolved(10_000)), run(slo, page, BudgetRuleTest::period, 0, 20_000));
    }

    @Test
    void theHoldDelaysFiringAndTheGuardKeepsAFreshPeriodQuiet() {
        BudgetRule held = new BudgetRule("budget-low", "ticket", 0.25, Duration.ofMinutes(10));
        assertEquals(List.of(firing(1082 + 600), resolved(13334)), run(slo.withRules(List.of(held)), held, BudgetRuleTest::period, 0, 20_000));

        // a new calendar period one second old: 1 failed request of 10 is 10x the budget, but under minRequests (20)
        LongFunction<Counts> fresh = x -> {
            Counts c = Counts.of(500, 1);
            c.add(200, 10 * x - 1);
            return c;
        };
        // x = 2: 20 requests, 1/20 = 5x: overspent; x = 10: 1/100 = 1x exactly: spent, not overspent
        assertEquals(List.of(firing(2), resolved(10)), run(slo, page, fresh, 1, 50));
        // with minRequests 100 the period is never both big enough and overspent
        assertEquals(List.of(), run(slo.withMinRequests(100), page, fresh, 1, 50));
    }

    @Test
    void evidenceIsThePeriodWithItsBurnRateAgainstOneMinusTheShareLeft() {
        RuleEvaluator.RuleResult r = RuleEvaluator.evaluate(slo, ticket, w -> null, () -> period(1082), () -> true);
        assertTrue(r.conditionTrue());
        RuleEvaluator.WindowResult w = r.windows().get(0);
        assertEquals("30d", w.window());
        assertEquals(10_820, w.requests());
        assertEquals(82, w.errors());
        assertEquals(0.75, w.threshold(), 1e-12);
        assertEquals(1 - 82 / 108.2, w.remainingBudget(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> RuleEvaluator.evaluate(slo, ticket, x -> null), "a budget rule needs the period");
    }

    @Test
    void noTrafficNeedsAnEmptyWindowAndTrafficBefore() {
        NoTrafficRule quiet = new NoTrafficRule("no-traffic", "page", Duration.ofMinutes(10));
        Slo s = Slo.of("traffic", 0.995).withRules(List.of(quiet));
        assertTrue(RuleEvaluator.evaluate(s, quiet, w -> new Counts(), () -> null, () -> true).conditionTrue());
        assertFalse(RuleEvaluator.evaluate(s, quiet, w -> new Counts(), () -> null, () -> false).conditionTrue(),
                "a group whose requests are not yet before the instant has not gone quiet");
        assertFalse(RuleEvaluator.evaluate(s, quiet, w -> Counts.of(200, 1), () -> null, () -> true).conditionTrue(),
                "one request in the window is traffic");
        assertEquals("10m", RuleEvaluator.evaluate(s, quiet, w -> null, () -> null, () -> true).windows().get(0).window());
    }
}
