package dev.burnrate.slo;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One alerting rule of an SLO. Comparisons are STRICT everywhere ({@code >}, as in Sloth and the Google SRE
 * workbook): a window whose burn rate (or error ratio) is exactly the threshold does not count. See
 * {@link BurnRate#exceeds} for how floating-point noise at the boundary is handled.
 *
 * <p>The minimum-request guard ({@link Slo#minRequests()}) applies to {@link #guardWindow()}: the short window of a
 * burn-rate rule, the only window of a threshold rule.
 */
public sealed interface AlertRule permits AlertRule.BurnRateRule, AlertRule.ThresholdRule {
    Pattern NAME = Pattern.compile("[a-z0-9_.-]+");

    String name();

    String severity();

    /** Every window this rule reads, longest first. */
    List<Duration> windows();

    /** The window whose request count must reach {@link Slo#minRequests()}. */
    Duration guardWindow();

    /** How long the condition must hold before firing (Prometheus {@code for:}); zero for burn-rate rules. */
    Duration hold();

    /**
     * Multi-window burn-rate rule: fires when the burn rate over BOTH windows is strictly greater than
     * {@code burnRate}, and the short window saw at least {@link Slo#minRequests()} requests. No hold: the short
     * window already plays that role.
     */
    record BurnRateRule(String name, String severity, double burnRate, Duration longWindow, Duration shortWindow)
            implements AlertRule {
        public BurnRateRule {
            checkName(name, severity);
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
     * (and the window saw at least {@link Slo#minRequests()} requests), continuously for {@code hold}.
     */
    record ThresholdRule(String name, String severity, double errorRatio, Duration window, Duration hold)
            implements AlertRule {
        public ThresholdRule {
            checkName(name, severity);
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

    private static void checkName(String name, String severity) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("rule name must match [a-z0-9_.-]+, got '" + name + "'");
        }
        if (severity == null || severity.isBlank()) throw new IllegalArgumentException("rule " + name + ": severity is required");
    }

    private static void checkPositive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be > 0");
    }
}
