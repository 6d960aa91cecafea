package dev.burnrate.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.ingest.IngestBuffer;
import dev.burnrate.core.LatencyHistogram;
import dev.burnrate.core.LatencyCounting;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyCountingTest {
    private static final int ID = 77;

    @Test
    void eachRequestIsCountedAgainstTheThresholdExactlyAndTravelsThroughTheHandOver() {
        boolean[] fiveXx = new boolean[600];
        for (int s = 500; s < 600; s++) fiveXx[s] = true;
        LatencyCounting latency = new LatencyCounting(List.of(
                new LatencyCounting.Spec(ID, 287, fiveXx, service -> service.equals("gateway"))));
        IngestBuffer buffer = IngestBuffer.inMemory(latency);
        long t = 1_764_500_040_000L + 40_000; // 40s into a minute
        buffer.add("gateway", "/v1", 200, 287.0, t);        // not slower: good, nothing counted
        buffer.add("gateway", "/v1", 200, 287.001, t);      // slower: bad
        buffer.add("gateway", "/v1", 503, 5.0, t);          // fast 503: bad by status
        buffer.add("gateway", "/v1", 200, Double.NaN, t);   // no duration: left out
        buffer.add("gateway", "/v1", 503, Double.NaN, t);   // no duration, but bad by status
        buffer.add("other", "/v1", 200, 900.0, t);          // no SLO covers it: histogram only
        List<String> seen = new ArrayList<>();
        for (Shuffled.Batch b : buffer.drain()) {
            Shuffled.Batch back = (Shuffled.Batch) ShuffledSerde.decode(ShuffledSerde.encode(b));
            assertEquals(b, back);
            back.forEachEntry((route, status, bucket, n) -> seen.add(b.service() + " " + status + " " + (bucket - t) + " " + n));
        }
        seen.sort(null);
        int minute = -40_000;
        List<String> expected = new ArrayList<>(List.of(
                "gateway 200 0 3", "gateway 503 0 2",
                "gateway " + LatencyCounting.badKey(ID) + " 0 3", "gateway " + LatencyCounting.excludedKey(ID) + " 0 1",
                "gateway " + (LatencyCounting.HISTOGRAM_BASE + LatencyHistogram.bin(287.0)) + " " + minute + " 2", // 287 and 287.001 share a bin
                "gateway " + (LatencyCounting.HISTOGRAM_BASE + LatencyHistogram.bin(5.0)) + " " + minute + " 1",
                "other 200 0 1", "other " + (LatencyCounting.HISTOGRAM_BASE + LatencyHistogram.bin(900.0)) + " " + minute + " 1"));
        expected.sort(null);
        assertEquals(expected, seen);
    }

    @Test
    void histogramPercentilesAreWithinFivePercentOfTheExactOnes() {
        Random r = new Random(3);
        for (int round = 0; round < 50; round++) {
            int n = 1 + r.nextInt(5000);
            double[] d = new double[n];
            LatencyHistogram h = new LatencyHistogram();
            double scale = Math.pow(10, r.nextInt(6) - 2); // 10us .. 1000s medians
            for (int i = 0; i < n; i++) {
                d[i] = scale * Math.exp(r.nextGaussian() * 1.5);
                h.add(LatencyHistogram.bin(d[i]), 1);
            }
            java.util.Arrays.sort(d);
            for (double q : new double[] {0.5, 0.9, 0.95, 0.99, 1.0}) {
                double exact = d[(int) LatencyHistogram.rank(q, n) - 1];
                double got = h.percentile(q);
                if (exact < 0x1p-10 || exact >= 0x1p21) continue; // outside the histogram's range: clamped
                assertTrue(Math.abs(got - exact) <= 0.05 * exact, q + ": " + got + " vs " + exact);
            }
        }
    }

    @Test
    void binsCoverTheirValuesAndAreAtMostATenthOfTheirLowerEdgeWide() {
        for (int b = 1; b < LatencyHistogram.BINS - 1; b++) {
            double lo = LatencyHistogram.lowerEdge(b);
            double hi = LatencyHistogram.lowerEdge(b + 1);
            assertEquals(b, LatencyHistogram.bin(Math.nextUp(lo))); // lowerEdge is the edge to the last bit, rounded
            assertEquals(b, LatencyHistogram.bin(Math.nextDown(hi)));
            assertTrue(hi - lo <= lo / 10 * (1 + 1e-12), b + ": " + lo + ".." + hi);
        }
        assertEquals(0, LatencyHistogram.bin(0));
        assertEquals(LatencyHistogram.BINS - 1, LatencyHistogram.bin(1e12));
    }
}
