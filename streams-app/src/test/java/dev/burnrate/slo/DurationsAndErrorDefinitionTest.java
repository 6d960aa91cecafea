package dev.burnrate.slo;

import dev.burnrate.windows.Counts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsAndErrorDefinitionTest {
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

    @Test
    void errorDefinitionFamiliesAndCodes() {
        ErrorDefinition d = ErrorDefinition.of("5xx", 429, "503");
        assertEquals(Set.of(5), d.families());
        assertEquals(Set.of(429), d.codes(), "503 is already in 5xx: not counted twice");
        assertEquals(List.of("5xx", "429"), d.toList());
        Counts c = Counts.of(503, 2);
        c.add(429, 3);
        c.add(404, 5);
        c.add(200, 90);
        assertEquals(5, d.errors(c));
        assertEquals(2, ErrorDefinition.DEFAULT.errors(c));
        assertEquals(8, ErrorDefinition.of("4xx").errors(c)); // 429 + 404
        assertTrue(d.isError(429));
        assertFalse(d.isError(404));
    }

    @Test
    void errorDefinitionRejectsWhatCountsCannotCount() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ErrorDefinition.of(200)).getMessage().contains("400-599"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ErrorDefinition.of(302)).getMessage().contains("\"3xx\""));
        assertThrows(IllegalArgumentException.class, () -> ErrorDefinition.of(600));
        assertThrows(IllegalArgumentException.class, () -> ErrorDefinition.of("6xx"));
        assertThrows(IllegalArgumentException.class, () -> ErrorDefinition.of("5x"));
        assertThrows(IllegalArgumentException.class, () -> ErrorDefinition.of(429.5));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ErrorDefinition.of("502-504")).getMessage().contains("not supported"));
        assertThrows(IllegalArgumentException.class, () -> ErrorDefinition.parse(List.of()));
    }
}
