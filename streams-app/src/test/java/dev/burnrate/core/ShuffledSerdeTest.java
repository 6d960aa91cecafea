package dev.burnrate.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.core.ShuffledSerde;
import dev.burnrate.core.Shuffled;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ShuffledSerdeTest {
    @Test
    void aBatchRoundTripsWithItsRoutesInFirstCountOrderAndBucketsInAnyOrder() {
        Shuffled.Batch b = new Shuffled.Batch("checkout");
        long t = 1_764_500_000_000L;
        b.add("/api/pay", 503, t, 3);
        b.add("/api/cart/{id}", 200, t - 10_000, 7); // an older bucket: a negative difference
        b.add("/api/pay", 200, t + 10_000, 1_000_000);
        b.add("/api/pay", 503, t, 2);
        b.add("/ünïcode", 404, Long.MIN_VALUE / 2, 1);
        byte[] wire = ShuffledSerde.encode(b);
        Shuffled.Batch back = (Shuffled.Batch) ShuffledSerde.decode(wire);
        assertEquals(b, back);
        List<String> seen = new ArrayList<>();
        back.forEach((route, status, bucket, n) -> seen.add(route + " " + status + " " + (bucket - t) + " " + n));
        assertEquals(List.of("/api/pay 503 0 5", "/api/pay 200 10000 1000000", "/api/cart/{id} 200 -10000 7",
                "/ünïcode 404 " + (Long.MIN_VALUE / 2 - t) + " 1"), seen);
        assertEquals(1_000_013, back.requests());
    }

    @Test
    void aCountCostsAFewBytes() {
        Shuffled.Batch b = new Shuffled.Batch("checkout");
        long t = 1_764_500_000_000L;
        for (int i = 0; i < 100; i++) b.add("/api/pay", i % 3 == 0 ? 503 : 200, t + (i / 2) * 10_000L, 1 + i % 100);
        byte[] wire = ShuffledSerde.encode(b);
        // status (2) + bucket difference (<= 3) + count (1) per count, the names once
        assertTrue(wire.length <= 100 * 6 + 32, wire.length + " bytes for 100 counts");
        assertEquals(b, ShuffledSerde.decode(wire));
    }

    @Test
    void progressMarksRoundTrip() {
        Shuffled.Progress p = new Shuffled.Progress(3, 8, 1_764_500_000_123L);
        assertEquals(p, ShuffledSerde.decode(ShuffledSerde.encode(p)));
    }

    @Test
    void anEmptyBatchRoundTrips() {
        Shuffled.Batch back = (Shuffled.Batch) ShuffledSerde.decode(ShuffledSerde.encode(new Shuffled.Batch("idle")));
        assertEquals("idle", back.service());
        assertTrue(back.isEmpty());
    }

    @Test
    void unknownTagsAndTruncatedRecordsAreSerializationErrors() {
        assertThrows(SerializationException.class, () -> ShuffledSerde.decode(new byte[] {9, 1, 2}));
        byte[] wire = ShuffledSerde.encode(batchOf("checkout", "/api/pay"));
        byte[] cut = java.util.Arrays.copyOf(wire, wire.length - 3);
        assertThrows(SerializationException.class, () -> ShuffledSerde.decode(cut));
    }

    private static Shuffled.Batch batchOf(String service, String route) {
        Shuffled.Batch b = new Shuffled.Batch(service);
        b.add(route, 200, 1_764_500_000_000L, 42);
        return b;
    }
}
