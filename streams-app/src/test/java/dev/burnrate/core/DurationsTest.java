package dev.burnrate.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one duration syntax of config files, SLO files and HTTP parameters. */
class DurationsTest {
    @Test
    void parsesTheUsualDurations() {
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofHours(6), Durations.parse("6h"));
        assertEquals(Duration.ofDays(1), Durations.parse("1d"));
        assertEquals(Duration.ofDays(3), Durations.parse("3d"));
        assertEquals(Duration.ofDays(30), Durations.parse("30d"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1s500ms"));
        assertEquals(Duration.ZERO, Durations.parse("0s"));
    }

    @Test
    void formatsToTheShortestForm() {
        assertEquals("1h", Durations.format(Duration.ofMinutes(60)));
        assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
        assertEquals("1d", Durations.format(Duration.ofHours(24)));
        assertEquals("30d", Durations.format(Duration.ofDays(30)));
        assertEquals("1d12h", Durations.format(Duration.ofHours(36)));
        assertEquals("5m", Durations.format(Duration.ofSeconds(300)));
        assertEquals("0s", Durations.format(Duration.ZERO));
        assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
        for (String s : List.of("30s", "5m", "1h", "6h", "1d", "3d", "30d", "1h30m", "2d3h4m5s6ms")) {
            assertEquals(s, Durations.format(Durations.parse(s)));
        }
    }

    @Test
    void rejectsBadDurations() {
        for (String s : List.of("", "5", "5x", "m", "1.5h", "30m1h", "1h1h", "-5m", "5 m", "99999999999999999999d")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(s), s);
            assertFalse(e.getMessage().isBlank());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Durations.parse("5")).getMessage().contains("missing unit"));
    }

    @ParameterizedTest
    @CsvSource({"500ms, 500", "30s, 30000", "5m, 300000", "2h, 7200000", "1d, 86400000", "' 10s ', 10000", "0ms, 0"})
    void acceptsConfigValues(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Durations.parse(text));
    }

    /** A bare number is ambiguous (milliseconds for Kafka, seconds elsewhere): it needs its unit. */
    @ParameterizedTest
    @ValueSource(strings = {"soon", "abc123", "5x", "5M", "1.5h", "s", "ms", "m5", "5 m", "10sec", "--1s", "-5s", "-100", "1500", "0"})
    void rejectsJunkWithAClearMessage(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), () -> "message '" + e.getMessage() + "' does not quote the input");
        assertTrue(e.getMessage().contains("30s"), () -> "message '" + e.getMessage() + "' gives no example");
    }

    @Test
    void rejectsEmpty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("  "));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }
}
