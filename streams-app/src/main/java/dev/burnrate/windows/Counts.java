package dev.burnrate.windows;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Request counts of one bucket or window: the total, by status family (1xx-5xx) and by exact code for 4xx and 5xx
 * (so an SLO can count e.g. 429 as an error, and evidence can name the dominant 5xx code).
 * Mutable on purpose: it is the aggregation hot path.
 */
public final class Counts {
    private long requests;
    private final long[] families = new long[6]; // index 1..5
    // exact codes 400-599, index code-400; most buckets see only a few codes, so a dense array of 200 is cheap
    // compared with a map and keeps add() allocation-free
    private final long[] codes = new long[200];

    public static Counts of(int status, long n) {
        Counts c = new Counts();
        c.add(status, n);
        return c;
    }

    public void add(int status, long n) {
        requests += n;
        families[status / 100] += n;
        if (status >= 400) codes[status - 400] += n;
    }

    public void add(Counts other) {
        requests += other.requests;
        for (int i = 1; i <= 5; i++) families[i] += other.families[i];
        for (int i = 0; i < codes.length; i++) codes[i] += other.codes[i];
    }

    public void subtract(Counts other) {
        requests -= other.requests;
        for (int i = 1; i <= 5; i++) families[i] -= other.families[i];
        for (int i = 0; i < codes.length; i++) codes[i] -= other.codes[i];
    }

    public long requests() {
        return requests;
    }

    /** @param family 1..5 */
    public long family(int family) {
        return families[family];
    }

    /** @param code 400..599; other codes are only counted by family */
    public long code(int code) {
        return code >= 400 && code < 600 ? codes[code - 400] : 0;
    }

    public boolean isEmpty() {
        return requests == 0;
    }

    public Counts copy() {
        Counts c = new Counts();
        c.add(this);
        return c;
    }

    /** Compact encoding: requests, 5 families, then (code, count) pairs for the non-zero codes only. */
    public byte[] toBytes() {
        int nonZero = 0;
        for (long c : codes) if (c != 0) nonZero++;
        ByteBuffer b = ByteBuffer.allocate(8 * 6 + 2 + nonZero * 10);
        b.putLong(requests);
        for (int i = 1; i <= 5; i++) b.putLong(families[i]);
        b.putShort((short) nonZero);
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] != 0) {
                b.putShort((short) (i + 400));
                b.putLong(codes[i]);
            }
        }
        return b.array();
    }

    public static Counts fromBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        Counts c = new Counts();
        c.requests = b.getLong();
        for (int i = 1; i <= 5; i++) c.families[i] = b.getLong();
        int n = b.getShort();
        for (int i = 0; i < n; i++) {
            int code = b.getShort();
            c.codes[code - 400] = b.getLong();
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Counts c && requests == c.requests && Arrays.equals(families, c.families)
                && Arrays.equals(codes, c.codes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(requests) * 31 + Arrays.hashCode(families);
    }

    @Override
    public String toString() {
        return "Counts{requests=" + requests + ", 2xx=" + families[2] + ", 4xx=" + families[4] + ", 5xx=" + families[5] + "}";
    }
}
