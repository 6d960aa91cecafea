package dev.burnrate.slo;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BurnRateMathTest {
    @Test
    void errorRatio() {
        assertEquals(0.0, BurnRate.errorRatio(0, 0));
        assertEquals(0.25, BurnRate.errorRatio(4, 1));
    }

    @Test
    void burnRateAndBudget() {
        assertEquals(0.005, BurnRate.errorBudget(0.995));
        assertEquals(0.005, Slo.of("a", 0.995).errorBudget());
        assertEquals(0.001, BurnRate.errorBudget(0.999));
        assertEquals(14.4, BurnRate.burnRate(0.072, 0.995), 1e-12);
        assertEquals(1.0, BurnRate.burnRate(0.001, 0.999), 1e-12);
    }

    @Test
    void aRulesThresholdAsBurnRateAndAsErrorRatioKeepsTheValueAsWritten() {
        AlertRule.BurnRateRule fast = new AlertRule.BurnRateRule("fast", "page", 14.4, Duration.ofHours(1), Duration.ofMinutes(5));
        AlertRule.ThresholdRule warn = new AlertRule.ThresholdRule("warn", "warning", 0.01, Duration.ofMinutes(5), Duration.ofMinutes(5));
        AlertRule.BudgetRule budget = new AlertRule.BudgetRule("budget", "ticket", 0.25, Duration.ZERO);
        AlertRule.NoTrafficRule quiet = new AlertRule.NoTrafficRule("quiet", "ticket", Duration.ofMinutes(10), Duration.ZERO);
        Slo slo = Slo.of("a", 0.995).withRules(List.of(fast, warn, budget, quiet));
        // the chart draws 14.4 and the evaluator compares with 14.4, not with 14.4 * 0.005 / 0.005
        assertEquals(14.4, slo.thresholdBurnRate(fast));
        assertEquals(0.072, slo.thresholdErrorRatio(fast), 1e-15);
        assertEquals(0.01, slo.thresholdErrorRatio(warn));
        assertEquals(2.0, slo.thresholdBurnRate(warn), 1e-12);
        assertTrue(Slo.isWindowThreshold(fast));
        assertTrue(Slo.isWindowThreshold(warn));
        for (AlertRule r : List.of(budget, quiet)) {
            assertFalse(Slo.isWindowThreshold(r));
            assertThrows(IllegalArgumentException.class, () -> slo.thresholdBurnRate(r));
            assertThrows(IllegalArgumentException.class, () -> slo.thresholdErrorRatio(r));
        }
    }

    @Test
    void remainingBudget() {
        assertEquals(1.0, BurnRate.remainingBudget(0, 0, 0.995));
        assertEquals(1.0, BurnRate.remainingBudget(1000, 0, 0.995));
        // budget of 1,000,000 requests at 99.5% = 5000 errors
        assertEquals(0.5, BurnRate.remainingBudget(1_000_000, 2500, 0.995), 1e-12);
        assertEquals(0.0, BurnRate.remainingBudget(1_000_000, 5000, 0.995), 1e-12);
        assertEquals(-1.0, BurnRate.remainingBudget(1_000_000, 10000, 0.995), 1e-12);
    }

    @Test
    void exceedsIsStrictAndToleratesFloatingNoise() {
        assertFalse(BurnRate.exceeds(14.4, 14.4));
        assertFalse(BurnRate.exceeds(0.072 / (1 - 0.995), 14.4)); // 14.399999999999988 or so: equal, not above
        assertFalse(BurnRate.exceeds(14.400000000001, 14.4));
        assertTrue(BurnRate.exceeds(14.4001, 14.4));
        assertFalse(BurnRate.exceeds(14.3, 14.4));
    }

    @Test
    void defaultTableIsData() {
        List<AlertRule> rules = DefaultRules.multiWindowMultiBurnRate(java.time.Duration.ofDays(30));
        assertEquals(List.of(
                new AlertRule.BurnRateRule("fast-burn", "page", 14.4, Duration.ofHours(1), Duration.ofMinutes(5)),
                new AlertRule.BurnRateRule("slow-burn", "page", 6, Duration.ofHours(6), Duration.ofMinutes(30)),
                new AlertRule.BurnRateRule("ticket-quick", "ticket", 3, Duration.ofDays(1), Duration.ofHours(2)),
                new AlertRule.BurnRateRule("ticket-slow", "ticket", 1, Duration.ofDays(3), Duration.ofHours(6))), rules);
        for (AlertRule r : rules) assertEquals(Duration.ZERO, r.hold());
        assertEquals(Duration.ofMinutes(5), ((AlertRule.WindowRule) rules.get(0)).guardWindow());
    }

    @Test
    void defaultConfig() {
        SloConfig c = SloConfig.defaultConfig();
        assertEquals(1, c.slos().size());
        Slo s = c.slos().get(0);
        assertEquals("availability", s.name());
        assertEquals(0.995, s.objective());
        assertEquals(Duration.ofDays(30), s.period().nominal());
        assertEquals(Selector.ALL, s.selector());
        assertEquals(ErrorDefinition.DEFAULT, s.errors());
        assertEquals(GroupBy.SERVICE, s.groupBy());
        assertEquals(Slo.DEFAULT_MIN_REQUESTS, s.minRequests());
        assertEquals(DefaultRules.multiWindowMultiBurnRate(java.time.Duration.ofDays(30)), s.rules());
        assertEquals(List.of(Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2),
                Duration.ofHours(6), Duration.ofDays(1), Duration.ofDays(3)), List.copyOf(c.allWindows()));
    }

    @Test
    void rulesValidateThemselves() {
        assertThrows(IllegalArgumentException.class, () -> new AlertRule.BurnRateRule("r", "page", 0, Duration.ofHours(1), Duration.ofMinutes(5)));
        assertThrows(IllegalArgumentException.class, () -> new AlertRule.BurnRateRule("r", "page", 1, Duration.ofHours(1), Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> new AlertRule.ThresholdRule("r", "page", 1.0, Duration.ofHours(1), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Slo.of("a", 0.99).withRules(List.of(
                new AlertRule.ThresholdRule("r", "page", 0.1, Duration.ofHours(1), Duration.ZERO),
                new AlertRule.ThresholdRule("r", "page", 0.2, Duration.ofHours(1), Duration.ZERO))));
        assertThrows(IllegalArgumentException.class, () -> new SloConfig(List.of(Slo.of("a", 0.99), Slo.of("a", 0.9))));
        assertEquals(Set.of(Duration.ofHours(1)), new SloConfig(List.of(Slo.of("a", 0.99).withRules(List.of(
                new AlertRule.ThresholdRule("r", "page", 0.1, Duration.ofHours(1), Duration.ZERO))))).allWindows());
    }
}
