package dev.burnrate.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.slo.SloConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The episode matching of the property tests, on hand-made episodes of the default fast-burn rule (tolerance 1h/40 =
 * 90 s) and ticket-quick (1d/40 = 36 min).
 */
class EpisodeComparisonTest {
    static final long H = 3_600_000;
    static final long M = 60_000;
    static final long HORIZON = 100 * H;
    static final SloConfig SLOS = SloConfig.defaultConfig();

    static Episode fast(long fired, Long resolved) {
        return new Episode("availability", "fast-burn", "checkout", null, fired, resolved);
    }

    static Episode quick(long fired, Long resolved) {
        return new Episode("availability", "ticket-quick", "checkout", null, fired, resolved);
    }

    static EpisodeComparison compare(List<Episode> reference, List<Episode> actual) {
        return EpisodeComparison.compare("test", SLOS, ReferenceCheck.STEP, reference, actual, HORIZON);
    }

    @Test
    void tolerancesAreTheLongWindowOver40AtLeastOneStep() {
        List<Long> tolerances = new ArrayList<>();
        SLOS.slos().get(0).rules().forEach(r -> tolerances.add(EpisodeComparison.toleranceMs(r, ReferenceCheck.STEP)));
        assertEquals(List.of(90_000L, 9 * M, 36 * M, 108 * M), tolerances);
    }

    @Test
    void firesAndResolvesWithinTheToleranceAgreeAndBeyondItDoNot() {
        assertTrue(compare(List.of(fast(10 * H, 11 * H)), List.of(fast(10 * H + 90_000, 11 * H - 90_000))).agrees());
        EpisodeComparison late = compare(List.of(fast(10 * H, 11 * H)), List.of(fast(10 * H + 100_000, 11 * H)));
        assertFalse(late.agrees());
        assertEquals(List.of("availability/fast-burn"), late.failedRules());
        assertTrue(late.report().contains("fired +1m40s late, resolved on time  <-- beyond tolerance"), late.report());
        assertFalse(compare(List.of(quick(10 * H, 20 * H)), List.of(quick(10 * H + 59 * M, 20 * H))).agrees(), "59 minutes late on a 1d window");
    }

    @Test
    void aPulseNoLongerThanTheToleranceMayBeOnOneSideOnly() {
        // a short episode only in the reference, and only in the implementation
        assertTrue(compare(List.of(fast(10 * H, 10 * H + 90_000)), List.of()).agrees());
        assertTrue(compare(List.of(), List.of(fast(10 * H, 10 * H + 60_000))).agrees());
        // a short gap inside an episode on one side (it flapped), the same episode on the other
        assertTrue(compare(List.of(fast(10 * H, 11 * H), fast(11 * H + 60_000, 12 * H)), List.of(fast(10 * H, 12 * H))).agrees());
        // but not longer ones
        assertFalse(compare(List.of(fast(10 * H, 10 * H + 100_000)), List.of()).agrees(), "missing");
        assertFalse(compare(List.of(), List.of(fast(10 * H, 10 * H + 100_000))).agrees(), "extra");
        assertFalse(compare(List.of(fast(10 * H, 11 * H), fast(11 * H + 100_000, 12 * H)), List.of(fast(10 * H, 12 * H))).agrees(), "merged");
        EpisodeComparison missing = compare(List.of(quick(10 * H, 12 * H)), List.of());
        assertTrue(missing.report().contains("MISSING from the test (lasted 2h)"), missing.report());
    }

    @Test
    void anEpisodeStillFiringEndsAtTheHorizonOnBothSides() {
        assertTrue(compare(List.of(fast(99 * H, null)), List.of(fast(99 * H, null))).agrees());
        assertTrue(compare(List.of(fast(99 * H, HORIZON)), List.of(fast(99 * H + 60_000, null))).agrees());
        assertFalse(compare(List.of(fast(98 * H, 99 * H)), List.of(fast(98 * H, null))).agrees(), "resolved an hour before the end");
    }

    @Test
    void alertsAreComparedOneByOne() {
        Episode other = new Episode("availability", "fast-burn", "catalog", null, 10 * H, 11 * H);
        assertFalse(compare(List.of(fast(10 * H, 11 * H)), List.of(other)).agrees(), "the same instants on another service are no match");
    }
}
