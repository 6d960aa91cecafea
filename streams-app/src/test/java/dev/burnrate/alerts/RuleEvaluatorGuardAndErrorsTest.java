package dev.burnrate.alerts;

import dev.burnrate.slo.GroupBy;
import dev.burnrate.slo.Slo;
import dev.burnrate.slo.Glob;
import dev.burnrate.slo.AlertRule;
import dev.burnrate.slo.ErrorDefinition;
import dev.burnrate.slo.Selector;
import dev.burnrate.slo.DefaultRules;
import dev.burnrate.alerts.RuleEvaluator;
import dev.burnrate.alerts.RuleEvaluator.RuleResult;
import dev.burnrate.alerts.RuleEvaluator.WindowResult;
import dev.burnrate.core.Counts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuleEvaluatorGuardAndErrorsTest {
    private final Slo slo = Slo.of("availability", 0.995);
    private final AlertRule fastBurn = slo.rule("fast-burn");

    @Test
    void oneFailedRequestOutOfOneDoesNotFire() {
        RuleResult r = RuleEvaluator.evaluate(slo, fastBurn, w -> Counts.of(500, 1));
        assertFalse(r.conditionTrue());
        // both windows burn at 1 / 0.005 = 200: only the guard holds it back
        for (WindowResult w : r.windows()) assertEquals(200.0, w.burnRate(), 1e-9);
    }

    @Test
    void guardIsOnTheShortWindowAndInclusive() {
        assertEquals(20, slo.minRequests());
        // 19 requests in the 5m window (all failed): guarded; 20: fires. The long window's traffic does not matter.
        assertFalse(RuleEvaluator.evaluate(slo, fastBurn, w -> w.equals(Duration.ofMinutes(5)) ? Counts.of(500, 19) : Counts.of(500, 1000)).conditionTrue());
        assertTrue(RuleEvaluator.evaluate(slo, fastBurn, w -> w.equals(Duration.ofMinutes(5)) ? Counts.of(500, 20) : Counts.of(500, 10)).conditionTrue());
        // minRequests 0 disables the guard: a single failure fires
        assertTrue(RuleEvaluator.evaluate(slo.withMinRequests(0), fastBurn, w -> Counts.of(500, 1)).conditionTrue());
    }

    /** Each rule's guard: at least minRequests, and at least 1 / its threshold error ratio. */
    @ParameterizedTest(name = "{0}% SLO, minRequests {1}, {2}: {3} requests")
    @CsvSource({
            // 99.5%: budget 0.5%; fast-burn 14.4x = 7.2% (1/0.072 = 13.9: minRequests rules), slow-burn 6x = 3% (33.3),
            // ticket-quick 3x = 1.5% (66.7), ticket-slow 1x = 0.5% (exactly 200: one in 200 is not above 0.5%)
            "99.5, 20, fast-burn, 20",
            "99.5, 20, slow-burn, 34",
            "99.5, 20, ticket-quick, 67",
            "99.5, 20, ticket-slow, 200",
            "99.5, 50, slow-burn, 50",
            "99.5, 1, fast-burn, 14",
            "99.5, 0, ticket-slow, 0",
            // 99.9%: fast-burn 1.44% (69.4), the case the former doc asked users to raise minRequests to 70 for
            "99.9, 20, fast-burn, 70",
            "99.9, 20, ticket-slow, 1000",
            // threshold rules: their error ratio
            "99.5, 20, rate-1pct, 100",
            "99.5, 20, rate-5pct, 20",
            // a budget rule accounts for the budget (one failure may really spend it): minRequests over the period;
            // a no-traffic rule fires on no requests at all
            "99.5, 20, budget-low, 20",
            "99.5, 20, no-traffic, 0",
    })
    void guardPerRule(double objectivePct, long minRequests, String rule, long guard) {
        Slo s = Slo.of("availability", objectivePct / 100).withMinRequests(minRequests);
        assertEquals(guard, s.guardRequests(rule(s, rule)));
    }

    /** What the derived guard is for: one failure, whatever the traffic, fires no rule (and does without the guard). */
    @Test
    void aSingleFailureFiresNoRuleAtAnyRequestCount() {
        for (String name : List.of("fast-burn", "slow-burn", "ticket-quick", "ticket-slow", "rate-1pct", "rate-5pct")) {
            int firedUnguarded = 0;
            for (int n = 1; n <= 2000; n++) {
                Counts c = Counts.of(500, 1);
                if (n > 1) c.add(200, n - 1);
                assertFalse(RuleEvaluator.evaluate(slo, rule(slo, name), w -> c).conditionTrue(), name + ", 1 failure in " + n);
                if (RuleEvaluator.evaluate(slo.withMinRequests(0), rule(slo, name), w -> c).conditionTrue()) firedUnguarded++;
            }
            assertTrue(firedUnguarded > 0, name + " fires on one failure without the guard");
        }
        // two failures in slow-burn's 34 requests (5.9% > 3%) do fire: the guard does not hide a real burn
        Counts two = Counts.of(500, 2);
        two.add(200, 32);
        assertTrue(RuleEvaluator.evaluate(slo, slo.rule("slow-burn"), w -> two).conditionTrue());
    }

    private static AlertRule rule(Slo s, String name) {
        return switch (name) {
            case "rate-1pct" -> new AlertRule.ThresholdRule("t", "warning", 0.01, Duration.ofMinutes(5), Duration.ZERO);
            case "rate-5pct" -> new AlertRule.ThresholdRule("t", "warning", 0.05, Duration.ofMinutes(5), Duration.ZERO);
            case "budget-low" -> new AlertRule.BudgetRule("b", "ticket", 0.25, Duration.ZERO);
            case "no-traffic" -> new AlertRule.NoTrafficRule("n", "page", Duration.ofMinutes(10));
            default -> s.rule(name);
        };
    }

    @Test
    void guardAppliesToTheWindowOfAThresholdRule() {
        AlertRule t = new AlertRule.ThresholdRule("t", "warning", 0.01, Duration.ofMinutes(5), Duration.ZERO);
        assertFalse(RuleEvaluator.evaluate(slo, t, w -> Counts.of(500, 1)).conditionTrue());
        assertTrue(RuleEvaluator.evaluate(slo.withMinRequests(0), t, w -> Counts.of(500, 1)).conditionTrue());
    }

    @Test
    void noTrafficIsNotAnAlert() {
        RuleResult r = RuleEvaluator.evaluate(slo.withMinRequests(0), fastBurn, w -> null);
        assertFalse(r.conditionTrue());
        assertEquals(List.of("1h", "5m"), r.windows().stream().map(WindowResult::window).toList());
        assertEquals(0.0, r.windows().get(0).errorRatio());
    }

    @Test
    void fourXxAreNotErrorsByDefault() {
        Counts c = Counts.of(404, 500);
        c.add(429, 300);
        c.add(200, 200);
        assertEquals(0, slo.errors().errors(c));
        assertFalse(RuleEvaluator.evaluate(slo, fastBurn, w -> c).conditionTrue());
    }

    @Test
    void customErrorsCount429ButNot404() {
        Slo with429 = slo.withErrors(ErrorDefinition.of("5xx", 429));
        Counts c = Counts.of(404, 50);
        c.add(429, 30);
        c.add(503, 7);
        c.add(200, 413); // 500 requests
        assertEquals(37, with429.errors().errors(c));
        RuleResult r = RuleEvaluator.evaluate(with429, fastBurn, w -> c);
        assertEquals(37, r.windows().get(0).errors());
        assertEquals(0.074, r.windows().get(0).errorRatio(), 1e-12);
        assertTrue(r.conditionTrue(), "7.4% > 7.2%");
        assertFalse(RuleEvaluator.evaluate(slo, fastBurn, w -> c).conditionTrue(), "7 / 500 = 1.4% with 5xx only");
    }

    @Test
    void selectorGlobs() {
        Slo s = new Slo("x", 0.99, Slo.DEFAULT_PERIOD, Selector.of(List.of("checkout", "payments-*"), List.of("/api/*")),
                null, GroupBy.SERVICE_ROUTE, 20, Map.of(), Map.of(), DefaultRules.multiWindowMultiBurnRate(java.time.Duration.ofDays(30)));
        assertTrue(s.matches("checkout", "/api/orders"));
        assertTrue(s.matches("payments-eu", "/api/v1/pay/123"));
        assertFalse(s.matches("payments", "/api/pay"));
        assertFalse(s.matches("checkout", "/health"));
        assertTrue(Slo.of("all", 0.99).matches("anything", null));
        assertTrue(new Glob("svc-?").matches("svc-a"));
        assertFalse(new Glob("svc-?").matches("svc-ab"));
        assertTrue(new Glob("*a*b*").matches("xxaYYbZ"));
    }
}
