package dev.burnrate.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison the harness's verdicts rest on: transitions as multisets, a repeat is a duplicate. */
class VerdictTest {
    static final String FIRE = "2026-11-30T10:40:00Z availability/fast-burn/service=checkout firing";
    static final String RESOLVE = "2026-11-30T11:20:10Z availability/fast-burn/service=checkout resolved";

    @Test
    void theSameTransitionsPass() {
        Verdict v = Verdict.compare(List.of(FIRE, RESOLVE), List.of(FIRE, RESOLVE));
        assertTrue(v.ok());
        assertEquals(2, v.expected());
    }

    @Test
    void aMissingTransitionIsLostAndARepeatedOneDuplicated() {
        Verdict lost = Verdict.compare(List.of(FIRE, RESOLVE), List.of(FIRE));
        assertEquals(List.of(RESOLVE), lost.lost());
        assertFalse(lost.ok());
        Verdict twice = Verdict.compare(List.of(FIRE, RESOLVE), List.of(FIRE, FIRE, RESOLVE));
        assertEquals(List.of(FIRE), twice.duplicated());
        assertEquals(List.of(), twice.lost());
        Verdict other = Verdict.compare(List.of(FIRE), List.of(FIRE.replace("10:40", "10:41")));
        assertEquals(List.of(FIRE), other.lost());
        assertEquals(1, other.duplicated().size(), "a transition at another instant is not the expected one");
    }
}
