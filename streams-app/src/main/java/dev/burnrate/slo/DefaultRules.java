package dev.burnrate.slo;

import dev.burnrate.slo.AlertRule.BurnRateRule;

import java.time.Duration;
import java.util.List;

import static java.time.Duration.ofDays;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;

/**
 * The multi-window, multi-burn-rate table of the Google SRE workbook (chapter 5, "Alerting on SLOs"), as data, in
 * the workbook's own terms: how much of the error budget each rule lets burn in its long window. The burn-rate
 * threshold follows from the SLO's period ({@link BurnRate#forBudgetSpent}), as in Sloth: for 30 days, 2% in 1h is
 * 14.4, 5% in 6h is 6, 10% in 1d is 3 and 10% in 3d is 1; a 7-day SLO pages at 3.36 over 1h, a 28-day one at 13.44.
 */
public final class DefaultRules {
    private record Row(String name, String severity, double budgetFraction, Duration longWindow, Duration shortWindow) {
    }

    private static final List<Row> TABLE = List.of(
            //      name            severity  budget  long window  short window
            new Row("fast-burn",    "page",   0.02,   ofHours(1),  ofMinutes(5)),
            new Row("slow-burn",    "page",   0.05,   ofHours(6),  ofMinutes(30)),
            new Row("ticket-quick", "ticket", 0.10,   ofDays(1),   ofHours(2)),
            new Row("ticket-slow",  "ticket", 0.10,   ofDays(3),   ofHours(6)));

    private DefaultRules() {
    }

    /** The table for an SLO of this period. */
    public static List<AlertRule> multiWindowMultiBurnRate(Duration period) {
        return TABLE.stream().<AlertRule>map(r -> new BurnRateRule(r.name(), r.severity(),
                BurnRate.forBudgetSpent(r.budgetFraction(), period, r.longWindow()), r.longWindow(), r.shortWindow())).toList();
    }
}
