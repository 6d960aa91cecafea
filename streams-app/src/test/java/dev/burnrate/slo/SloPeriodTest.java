package dev.burnrate.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.slo.SloPeriod.Calendar;
import dev.burnrate.slo.SloPeriod.Calendar.Unit;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SloPeriodTest {
    static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    static String iso(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }

    @Test
    void aMonthInBerlinStartsAtLocalMidnightOnTheFirstAcrossSummerTime() {
        Calendar berlin = new Calendar(Unit.MONTH, ZoneId.of("Europe/Berlin"));
        // 2026-10-31T22:59:59.999Z is still 23:59:59.999 CET on 31 October; October began at midnight CEST (UTC+2)
        assertEquals("2026-09-30T22:00:00Z", iso(berlin.start(ms("2026-10-31T22:59:59.999Z"))));
        assertEquals("2026-10-31T23:00:00Z", iso(berlin.nextStart(ms("2026-10-31T22:59:59.999Z"))));
        // from 23:00Z it is November in Berlin (CET, UTC+1), while UTC is still in October
        assertEquals("2026-10-31T23:00:00Z", iso(berlin.start(ms("2026-10-31T23:00:00Z"))));
        assertEquals("2026-11-30T23:00:00Z", iso(berlin.nextStart(ms("2026-10-31T23:00:00Z"))));
        // October 2026 in Berlin is 31 days and the hour summer time gives back: within what the windows keep
        long october = ms("2026-10-31T23:00:00Z") - ms("2026-09-30T22:00:00Z");
        assertEquals(Duration.ofDays(31).plusHours(1).toMillis(), october);
        assertTrue(october <= berlin.longest().toMillis());
        assertEquals(Duration.ofDays(30), berlin.nominal(), "burn-rate factors as for 30d");
        assertEquals("month", berlin.label());
    }

    @Test
    void aWeekStartsOnMondayAndUtcIsTheDefaultZone() {
        Calendar week = new Calendar(Unit.WEEK, ZoneOffset.UTC);
        // 2026-11-30 is a Monday
        assertEquals("2026-11-30T00:00:00Z", iso(week.start(ms("2026-11-30T00:00:00Z"))));
        assertEquals("2026-11-23T00:00:00Z", iso(week.start(ms("2026-11-29T23:59:59Z"))));
        assertEquals("2026-12-07T00:00:00Z", iso(week.nextStart(ms("2026-12-03T12:00:00Z"))));
        assertEquals(Duration.ofDays(7), week.nominal());
        // New York: Monday midnight EST is 05:00Z
        Calendar ny = new Calendar(Unit.WEEK, ZoneId.of("America/New_York"));
        assertEquals("2026-11-30T05:00:00Z", iso(ny.start(ms("2026-12-01T04:00:00Z"))));
        assertEquals("2026-11-23T05:00:00Z", iso(ny.start(ms("2026-11-30T04:59:59Z"))));
    }

    @Test
    void aRollingPeriodIsTheLastStretchAtEveryInstant() {
        SloPeriod p = SloPeriod.rolling(Duration.ofDays(30));
        assertEquals(ms("2026-10-31T12:00:00Z"), p.start(ms("2026-11-30T12:00:00Z")));
        assertEquals(Duration.ofDays(30), p.longest());
        assertEquals("30d", p.label());
    }
}
