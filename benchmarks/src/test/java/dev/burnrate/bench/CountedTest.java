package dev.burnrate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A part's figures stand only if it accounted for exactly its input. */
class CountedTest {
    private static Map<String, Long> processor(long ingested, long late, long deadLetters) {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("ingested", ingested);
        c.put("late", late);
        c.put("deadLetters", deadLetters);
        return c;
    }

    @Test
    void everyRecordIngestedLateOrDeadLetteredIsAccepted() {
        assertEquals(processor(1_999_000, 600, 400), Counted.exactly("processor eos", 2_000_000, processor(1_999_000, 600, 400)));
    }

    @Test
    void aShortfallFailsNamingThePartAndItsCounts() {
        // what a run whose input the broker's retention deleted mid-read looked like: 284,135 of 2,000,000 ingested
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Counted.exactly("processor eos", 2_000_000, processor(284_135, 0, 0)));
        assertTrue(e.getMessage().startsWith("processor eos: counted 284135 of 2000000 input records"), e.getMessage());
        assertTrue(e.getMessage().contains("ingested=284135"), e.getMessage());
        assertTrue(e.getMessage().contains("lost or never read"), e.getMessage());
    }

    @Test
    void oneRecordMissingOrCountedTwiceFails() {
        assertThrows(IllegalStateException.class, () -> Counted.exactly("peer-eos", 200_000, Map.of("windowUpdates", 199_999L)));
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> Counted.exactly("floor-eos", 200_000, Map.of("seen", 200_001L)));
        assertTrue(twice.getMessage().contains("counted twice"), twice.getMessage());
    }
}
