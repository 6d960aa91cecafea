package dev.burnrate.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The bucket encoding: round trip, its size, and values written in the first (fixed-width) format still read. */
class CountsEncodingTest {
    @Test
    void roundTripsCompactly() {
        Counts c = Counts.of(200, 1_234_567);
        c.add(404, 310);
        c.add(503, 7);
        c.add(500, 1L << 40);
        byte[] bytes = c.toBytes();
        assertEquals(c, Counts.fromBytes(bytes));
        assertTrue(bytes.length <= 40, bytes.length + " bytes (the fixed-width format: 80)");
        assertEquals(8, Counts.of(200, 1).toBytes().length, "format byte, requests, 5 families, 0 codes");
    }

    @Test
    void readsTheFixedWidthFormat() {
        ByteBuffer b = ByteBuffer.allocate(50 + 2 * 10);
        b.putLong(12); // requests, then families 1xx..5xx
        for (long f : new long[] {0, 9, 0, 2, 1}) b.putLong(f);
        b.putShort((short) 2).putShort((short) 404).putLong(2).putShort((short) 503).putLong(1);
        Counts c = Counts.fromBytes(b.array());
        Counts expected = Counts.of(200, 9);
        expected.add(404, 2);
        expected.add(503, 1);
        assertEquals(expected, c);
        assertEquals(expected, Counts.fromBytes(c.toBytes()));
    }
}
