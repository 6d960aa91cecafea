package dev.burnrate.slo;

import dev.burnrate.slo.AlertRule.BurnRateRule;

import java.util.List;

import static java.time.Duration.ofDays;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;

/**
 * The multi-window, multi-burn-rate table of the Google SRE workbook (chapter 5, "Alerting on SLOs"), as data.
 * For a 30d period, burn rate 14.4 over 1h spends 2% of the budget; 6 over 6h spends 5%; 3 over 1d and 1 over 3d
 * spend 10%.
 */
public final class DefaultRules {
    private static final List<AlertRule> TABLE = List.of(
            //              name            severity  burn  long window  short window
            new BurnRateRule("fast-burn",    "page",   14.4, ofHours(1),  ofMinutes(5)),
            new BurnRateRule("slow-burn",    "page",   6,    ofHours(6),  ofMinutes(30)),
            new BurnRateRule("ticket-quick", "ticket", 3,    ofDays(1),   ofHours(2)),
            new BurnRateRule("ticket-slow",  "ticket", 1,    ofDays(3),   ofHours(6)));

    private DefaultRules() {
    }

    public static List<AlertRule> multiWindowMultiBurnRate() {
        return TABLE;
    }
}
