package dev.burnrate.slo;

import dev.burnrate.core.Durations;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * The period an SLO's error budget is spent over. A rolling period ({@code 30d}) is the last 30 days at every
 * instant. A calendar period ({@code month} or {@code week}, in a time zone) runs from the start of the current
 * month (local midnight on the 1st) or ISO week (local midnight on Monday) to now: its budget resets at each start.
 */
public sealed interface SloPeriod permits SloPeriod.Rolling, SloPeriod.Calendar {
    /**
     * The length the default burn-rate table is scaled to ({@link DefaultRules}, {@link BurnRate#forBudgetSpent}):
     * a rolling period's own length; 30d for a month (so its factors are the familiar 14.4/6/3/1: over 28 to 31
     * days, 1h at 14.4x spends 1.9% to 2.1% of the budget instead of 2%), 7d for a week.
     */
    Duration nominal();

    /** The longest stretch the period covers: how long the windows must keep the counts it sums. */
    Duration longest();

    /** Start (inclusive) of the period that holds instant {@code atMs}. */
    long start(long atMs);

    /** As the SLO file writes it: {@code 30d}, {@code month}, {@code week}. */
    String label();

    static SloPeriod rolling(Duration length) {
        return new Rolling(length);
    }

    /** The last {@code length} at every instant. */
    record Rolling(Duration length) implements SloPeriod {
        public Rolling {
            if (length == null || length.isZero() || length.isNegative()) throw new IllegalArgumentException("period must be > 0");
        }

        @Override
        public Duration nominal() {
            return length;
        }

        @Override
        public Duration longest() {
            return length;
        }

        @Override
        public long start(long atMs) {
            return atMs - length.toMillis();
        }

        @Override
        public String label() {
            return Durations.format(length);
        }
    }

    /** A calendar month or ISO week in a time zone. */
    record Calendar(Unit unit, ZoneId zone) implements SloPeriod {
        /**
         * A month is at most 31 days plus the hour a DST change gives back; 2h leaves room for the zones that once
         * shifted by two.
         */
        private static final Duration DST_MARGIN = Duration.ofHours(2);

        public enum Unit {
            MONTH(Duration.ofDays(30), Duration.ofDays(31)), WEEK(Duration.ofDays(7), Duration.ofDays(7));

            private final Duration nominal;
            private final Duration longestLocal;

            Unit(Duration nominal, Duration longestLocal) {
                this.nominal = nominal;
                this.longestLocal = longestLocal;
            }

            public String configName() {
                return name().toLowerCase(Locale.ROOT);
            }
        }

        public Calendar {
            if (unit == null || zone == null) throw new IllegalArgumentException("calendar period needs a unit and a time zone");
        }

        @Override
        public Duration nominal() {
            return unit.nominal;
        }

        @Override
        public Duration longest() {
            return unit.longestLocal.plus(DST_MARGIN);
        }

        @Override
        public long start(long atMs) {
            LocalDate day = Instant.ofEpochMilli(atMs).atZone(zone).toLocalDate();
            LocalDate first = unit == Unit.MONTH ? day.withDayOfMonth(1) : day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            return first.atStartOfDay(zone).toInstant().toEpochMilli();
        }

        @Override
        public String label() {
            return unit.configName();
        }

        /** When the period after the one holding {@code atMs} starts: when the budget resets. */
        public long nextStart(long atMs) {
            LocalDate first = Instant.ofEpochMilli(start(atMs)).atZone(zone).toLocalDate();
            return (unit == Unit.MONTH ? first.plusMonths(1) : first.plusWeeks(1)).atStartOfDay(zone).toInstant().toEpochMilli();
        }
    }
}
