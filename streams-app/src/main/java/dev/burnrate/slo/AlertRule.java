package dev.burnrate.slo;

import dev.burnrate.core.Durations;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One alerting rule of an SLO. Comparisons are STRICT everywhere ({@code >} and {@code <}, as in Sloth and the
 * Google SRE workbook): a window whose burn rate (or error ratio, or remaining budget) is exactly the threshold does
 * not count. See {@link BurnRate#exceeds} for how floating-point noise at the boundary is handled.
 *
 * <p>Rules over rolling windows ({@link WindowRule}) apply the minimum-request guard ({@link Slo#guardRequests}) to
 * {@link WindowRule#guardWindow()}: the short window of a burn-rate rule, the only window of a threshold rule. A
 * budget rule reads the SLO's period so far instead, and applies the guard to it.
 */
public sealed interface AlertRule permits AlertRule.WindowRule, AlertRule.BudgetRule {
    Pattern NAME = Pattern.compile("[a-z0-9_.-]+");

    String name();

    String severity();

    /** Every rolling window this rule reads, longest first (none for a budget rule: it reads the SLO's period). */
    List<Duration> windows();

    /** How long the condition must hold before firing (Prometheus {@code for:}); zero for burn-rate rules. */
    Duration hold();

    /**
     * How long a firing alert keeps firing after its condition has cleared (Prometheus {@code keep_firing_for}): a
     * condition that comes back within it continues the episode instead of resolving it and paging again. Zero: it
     * resolves at the first instant the condition is false.
     */
    Duration keepFiringFor();

    /** {@code burn-rate}, {@code threshold}, {@code budget} or {@code no-traffic}: for people and the page. */
    default String kind() {
        if (this instanceof BurnRateRule) return "burn-rate";
        if (this instanceof ThresholdRule) return "threshold";
        return this instanceof BudgetRule ? "budget" : "no-traffic";
    }

    /** A rule over rolling windows ending at the evaluation instant. */
    sealed interface WindowRule extends AlertRule permits BurnRateRule, ThresholdRule, NoTrafficRule {
        /**
         * The window whose request count must reach {@link Slo#guardRequests} (a no-traffic rule has no guard: its
         * condition is that this window is empty), and over which an alert's top routes and codes are reported.
         */
        Duration guardWindow();
    }

    /**
     * Multi-window burn-rate rule: fires when the burn rate over BOTH windows is strictly greater than
     * {@code burnRate}, and the short window saw at least {@link Slo#guardRequests} requests. No hold: the short
     * window already plays that role.
     */
    record BurnRateRule(String name, String severity, double burnRate, Duration longWindow, Duration shortWindow,
                        Duration keepFiringFor) implements WindowRule {
        public BurnRateRule(String name, String severity, double burnRate, Duration longWindow, Duration shortWindow) {
            this(name, severity, burnRate, longWindow, shortWindow, Duration.ZERO);
        }

        public BurnRateRule {
            checkName(name, severity);
            checkNotNegative("keepFiringFor", keepFiringFor);
            if (!(burnRate > 0) || Double.isInfinite(burnRate)) throw new IllegalArgumentException("burnRate must be > 0, got " + burnRate);
            checkPositive("longWindow", longWindow);
            checkPositive("shortWindow", shortWindow);
            if (shortWindow.compareTo(longWindow) >= 0) {
                throw new IllegalArgumentException("shortWindow (" + Durations.format(shortWindow)
                        + ") must be shorter than longWindow (" + Durations.format(longWindow) + ")");
            }
        }

        @Override
        public List<Duration> windows() {
            return List.of(longWindow, shortWindow);
        }

        @Override
        public Duration guardWindow() {
            return shortWindow;
        }

        @Override
        public Duration hold() {
            return Duration.ZERO;
        }
    }

    /**
     * Plain error-ratio threshold: the error ratio over {@code window} is strictly greater than {@code errorRatio}
     * (and the window saw at least {@link Slo#guardRequests} requests), continuously for {@code hold}.
     */
    record ThresholdRule(String name, String severity, double errorRatio, Duration window, Duration hold,
                         Duration keepFiringFor) implements WindowRule {
        public ThresholdRule(String name, String severity, double errorRatio, Duration window, Duration hold) {
            this(name, severity, errorRatio, window, hold, Duration.ZERO);
        }

        public ThresholdRule {
            checkName(name, severity);
            checkNotNegative("keepFiringFor", keepFiringFor);
            if (!(errorRatio > 0 && errorRatio < 1)) {
                throw new IllegalArgumentException("errorRatio must be between 0 and 1 (exclusive), got " + errorRatio);
            }
            checkPositive("window", window);
            if (hold == null || hold.isNegative()) throw new IllegalArgumentException("hold must be >= 0");
        }

        @Override
        public List<Duration> windows() {
            return List.of(window);
        }

        @Override
        public Duration guardWindow() {
            return window;
        }
    }

    /**
     * Budget rule: the share of the error budget left over the SLO's period so far ({@link BurnRate#remainingBudget})
     * is strictly below {@code remainingBelow} (0.25 = "a quarter left"; 0 = "overspent"), and the period has seen
     * at least {@link Slo#minRequests()} requests, continuously for {@code hold}. On a calendar period it resolves at
     * the latest when the next period starts (a fresh budget).
     */
    record BudgetRule(String name, String severity, double remainingBelow, Duration hold, Duration keepFiringFor)
            implements AlertRule {
        public BudgetRule(String name, String severity, double remainingBelow, Duration hold) {
            this(name, severity, remainingBelow, hold, Duration.ZERO);
        }

        public BudgetRule {
            checkName(name, severity);
            checkNotNegative("keepFiringFor", keepFiringFor);
            if (!(remainingBelow >= 0 && remainingBelow < 1)) {
                throw new IllegalArgumentException("remainingBelow must be at least 0 and below 1, got " + remainingBelow);
            }
            if (hold == null || hold.isNegative()) throw new IllegalArgumentException("hold must be >= 0");
        }

        @Override
        public List<Duration> windows() {
            return List.of();
        }
    }

    /**
     * No-traffic rule, opt-in: the group (a service, or a route with service+route grouping) had requests once and
     * has none over {@code window}. Resolves as soon as a request is counted in the window again. No hold: the
     * window is one. A group that never had traffic is never evaluated (the processor does not know it exists).
     */
    record NoTrafficRule(String name, String severity, Duration window, Duration keepFiringFor) implements WindowRule {
        public NoTrafficRule(String name, String severity, Duration window) {
            this(name, severity, window, Duration.ZERO);
        }

        public NoTrafficRule {
            checkName(name, severity);
            checkNotNegative("keepFiringFor", keepFiringFor);
            checkPositive("window", window);
        }

        @Override
        public List<Duration> windows() {
            return List.of(window);
        }

        @Override
        public Duration guardWindow() {
            return window;
        }

        @Override
        public Duration hold() {
            return Duration.ZERO;
        }
    }

    private static void checkName(String name, String severity) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("rule name must match [a-z0-9_.-]+, got '" + name + "'");
        }
        if (severity == null || severity.isBlank()) throw new IllegalArgumentException("rule " + name + ": severity is required");
    }

    private static void checkNotNegative(String what, Duration d) {
        if (d == null || d.isNegative()) throw new IllegalArgumentException(what + " must be >= 0");
    }

    private static void checkPositive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be > 0");
    }
}
