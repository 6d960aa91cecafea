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
        // minRequests 0 disables the guard; 1 lets a single failure through
        assertTrue(RuleEvaluator.evaluate(slo.withMinRequests(1), fastBurn, w -> Counts.of(500, 1)).conditionTrue());
    }

    @Test
    void guardAppliesToTheWindowOfAThresholdRule() {
        AlertRule t = new AlertRule.ThresholdRule("t", "warning", 0.01, Duration.ofMinutes(5), Duration.ZERO);
        assertFalse(RuleEvaluator.evaluate(slo, t, w -> Counts.of(500, 1)).conditionTrue());
        assertTrue(RuleEvaluator.evaluate(slo.withMinRequests(1), t, w -> Counts.of(500, 1)).conditionTrue());
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
