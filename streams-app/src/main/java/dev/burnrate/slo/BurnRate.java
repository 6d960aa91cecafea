package dev.burnrate.slo;

import java.math.BigDecimal;

/** Error-budget arithmetic. Pure functions; objectives are ratios ({@code 0.995} for 99.5%). */
public final class BurnRate {
    /**
     * Relative tolerance of {@link #exceeds}: {@code 1 - 0.995} is {@code 0.0050000000000000044} in binary floating
     * point, so a window sitting exactly on the threshold could otherwise come out a hair above or below it.
     */
    public static final double RELATIVE_TOLERANCE = 1e-9;

    private BurnRate() {
    }

    /** errors / requests; 0 when there were no requests. */
    public static double errorRatio(long requests, long errors) {
        return requests <= 0 ? 0.0 : (double) errors / requests;
    }

    /** The error budget {@code 1 - objective}, computed in decimal so that {@code errorBudget(0.995) == 0.005}. */
    public static double errorBudget(double objective) {
        return BigDecimal.ONE.subtract(BigDecimal.valueOf(objective)).doubleValue();
    }

    /** errorRatio / (1 - objective): 1 spends the budget exactly over the SLO period. */
    public static double burnRate(double errorRatio, double objective) {
        return errorRatio / errorBudget(objective);
    }

    /**
     * Fraction of the error budget left given the requests and errors of the period: {@code 1 - errors /
     * (requests * (1 - objective))}. Negative once the budget is overspent; 1.0 when there were no requests.
     */
    public static double remainingBudget(long requests, long errors, double objective) {
        if (requests <= 0) return 1.0;
        return 1.0 - errors / (requests * errorBudget(objective));
    }

    /**
     * The burn rate that spends {@code budgetFraction} of the error budget in {@code window} of an SLO with this
     * period: {@code budgetFraction * period / window} (Sloth's factor), computed in decimal so that 2% of a 30-day
     * budget in 1h is exactly 14.4.
     */
    public static double forBudgetSpent(double budgetFraction, java.time.Duration period, java.time.Duration window) {
        return BigDecimal.valueOf(budgetFraction).multiply(BigDecimal.valueOf(period.toMillis()))
                .divide(BigDecimal.valueOf(window.toMillis()), java.math.MathContext.DECIMAL64).doubleValue();
    }

    /**
     * {@code value > threshold}, strictly, where values within {@link #RELATIVE_TOLERANCE} of the threshold count as
     * equal (hence do not exceed it).
     */
    public static boolean exceeds(double value, double threshold) {
        return value > threshold + Math.abs(threshold) * RELATIVE_TOLERANCE;
    }
}
