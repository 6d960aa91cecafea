package dev.burnrate.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus-style durations: {@code 30s}, {@code 5m}, {@code 1h}, {@code 6h}, {@code 1d}, {@code 30d}, and
 * combinations in decreasing unit order such as {@code 1h30m} or {@code 1d12h}. Units: {@code d} (24h), {@code h},
 * {@code m}, {@code s}, {@code ms}. No weeks or years: SLO periods are conventionally written {@code 28d}/{@code 30d}.
 *
 * <p>{@link #format} gives the shortest form: {@code 60m -> "1h"}, {@code 90m -> "1h30m"}, {@code 0 -> "0s"}.
 * Resolution is one millisecond; {@code parse(format(d)).equals(d)} for every non-negative whole-millisecond d.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|d|h|m|s)");
    private static final String[] UNITS = {"d", "h", "m", "s", "ms"};
    private static final long[] UNIT_MS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};

    private Durations() {
    }

    /** @throws IllegalArgumentException with a message fit for a config error (no stack needed) */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty duration; expected e.g. 30s, 5m, 1h, 1d or 1h30m");
        String s = text.strip();
        Matcher m = PART.matcher(s);
        int pos = 0;
        int lastUnit = -1;
        long totalMs = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                String hint = s.chars().allMatch(Character::isDigit) ? " (missing unit: s, m, h or d)" : "";
                throw new IllegalArgumentException("invalid duration '" + text + "'" + hint
                        + "; expected e.g. 30s, 5m, 1h, 1d or 1h30m");
            }
            int unit = unitIndex(m.group(2));
            if (unit <= lastUnit) {
                throw new IllegalArgumentException("invalid duration '" + text
                        + "': units must appear once each, largest first (e.g. 1h30m)");
            }
            lastUnit = unit;
            try {
                totalMs = Math.addExact(totalMs, Math.multiplyExact(Long.parseLong(m.group(1)), UNIT_MS[unit]));
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException("duration '" + text + "' is too large");
            }
            pos = m.end();
        }
        return Duration.ofMillis(totalMs);
    }

    /** Shortest form, e.g. {@code "1h"} rather than {@code "60m"}; sub-millisecond precision is dropped. */
    public static String format(Duration d) {
        if (d.isNegative()) throw new IllegalArgumentException("negative duration " + d);
        long ms = d.toMillis();
        if (ms == 0) return "0s";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < UNITS.length; i++) {
            long n = ms / UNIT_MS[i];
            if (n > 0) {
                b.append(n).append(UNITS[i]);
                ms -= n * UNIT_MS[i];
            }
        }
        return b.toString();
    }

    private static int unitIndex(String unit) {
        for (int i = 0; i < UNITS.length; i++) if (UNITS[i].equals(unit)) return i;
        throw new AssertionError(unit);
    }
}
