package dev.burnrate.slo;

import dev.burnrate.core.Counts;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorDefinitionTest {
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
