package dev.burnrate.windows;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Request counts of one bucket or window: the total, by status family (1xx-5xx) and by exact code for 4xx and 5xx
 * (so an SLO can count e.g. 429 as an error, and evidence can name the dominant 5xx code).
 * Mutable on purpose: it is the aggregation hot path. Exact codes are kept sparse (a bucket sees few distinct codes).
 */
public final class Counts {
    private long requests;
    private final long[] families = new long[6]; // index 1..5
    private static final short[] NO_CODES = new short[0];
    private static final long[] NO_COUNTS = new long[0];
    private short[] codes = NO_CODES;        // sorted exact codes 400-599 (replaced, never written in place, when one is added)
    private long[] codeCounts = NO_COUNTS;

    public static Counts of(int status, long n) {
        Counts c = new Counts();
        c.add(status, n);
        return c;
    }

    public void add(int status, long n) {
        requests += n;
        families[status / 100] += n;
        if (status >= 400) addCode(status, n);
    }

    public void add(Counts other) {
        requests += other.requests;
        for (int i = 1; i <= 5; i++) families[i] += other.families[i];
        for (int i = 0; i < other.codes.length; i++) addCode(other.codes[i], other.codeCounts[i]);
    }

    private void addCode(int code, long n) {
        int i = Arrays.binarySearch(codes, (short) code);
        if (i >= 0) {
            codeCounts[i] += n;
            return;
        }
        int at = -i - 1;
        short[] c = new short[codes.length + 1];
        long[] k = new long[codes.length + 1];
        System.arraycopy(codes, 0, c, 0, at);
        System.arraycopy(codeCounts, 0, k, 0, at);
        c[at] = (short) code;
        k[at] = n;
        System.arraycopy(codes, at, c, at + 1, codes.length - at);
        System.arraycopy(codeCounts, at, k, at + 1, codes.length - at);
        codes = c;
        codeCounts = k;
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
        int i = Arrays.binarySearch(codes, (short) code);
        return i >= 0 ? codeCounts[i] : 0;
    }

    /** The exact 4xx/5xx codes seen, ascending. */
    public int[] codes() {
        int[] out = new int[codes.length];
        for (int i = 0; i < codes.length; i++) out[i] = codes[i];
        return out;
    }

    /**
     * These counts times num/den (0 <= num <= den), each figure rounded to the nearest integer on its own: the share of
     * a bucket a window covers, assuming its requests spread evenly over the bucket.
     */
    public Counts scaled(long num, long den) {
        Counts c = new Counts();
        if (num <= 0) return c;
        c.requests = scale(requests, num, den);
        for (int i = 1; i <= 5; i++) c.families[i] = scale(families[i], num, den);
        for (int i = 0; i < codes.length; i++) {
            long k = scale(codeCounts[i], num, den);
            if (k > 0) c.addCode(codes[i], k);
        }
        return c;
    }

    private static long scale(long x, long num, long den) {
        if (x <= (Long.MAX_VALUE - den) / num) return (x * num + den / 2) / den;
        return java.math.BigInteger.valueOf(x).multiply(java.math.BigInteger.valueOf(num)).add(java.math.BigInteger.valueOf(den / 2))
                .divide(java.math.BigInteger.valueOf(den)).longValueExact();
    }

    public boolean isEmpty() {
        return requests == 0;
    }


    /**
     * Compact encoding: a format byte, then in varints requests, the 5 families, the number of exact codes and
     * (code, count) pairs: ~10 bytes for a typical bucket. The first format wrote fixed 8-byte longs (50 bytes and
     * more); its first byte is always 0 (a request count below 2^56), so it is still read.
     */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(encodedSize());
        write(b);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** An upper bound of the encoding's size. */
    int encodedSize() {
        return 1 + 7 * 10 + codes.length * 13;
    }

    private static final byte FIXED = 0, VARINTS = 1;

    void write(ByteBuffer b) {
        b.put(VARINTS);
        putVarint(b, requests);
        for (int i = 1; i <= 5; i++) putVarint(b, families[i]);
        putVarint(b, codes.length);
        for (int i = 0; i < codes.length; i++) {
            putVarint(b, codes[i]);
            putVarint(b, codeCounts[i]);
        }
    }

    /** Reads what {@link #toBytes} wrote, leaving anything after it (a finest bucket's sub-buckets) unread. */
    public static Counts fromBytes(byte[] bytes) {
        return read(ByteBuffer.wrap(bytes));
    }

    static Counts read(ByteBuffer b) {
        Counts c = new Counts();
        boolean fixed = b.get(b.position()) == FIXED;
        if (!fixed) b.get();
        c.requests = fixed ? b.getLong() : getVarint(b);
        for (int i = 1; i <= 5; i++) c.families[i] = fixed ? b.getLong() : getVarint(b);
        int n = fixed ? b.getShort() : (int) getVarint(b);
        c.codes = n == 0 ? NO_CODES : new short[n];
        c.codeCounts = n == 0 ? NO_COUNTS : new long[n];
        for (int i = 0; i < n; i++) {
            c.codes[i] = fixed ? b.getShort() : (short) getVarint(b);
            c.codeCounts[i] = fixed ? b.getLong() : getVarint(b);
        }
        return c;
    }

    static void putVarint(ByteBuffer b, long v) {
        while ((v & ~0x7FL) != 0) {
            b.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        b.put((byte) v);
    }

    static long getVarint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b.get();
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) return v;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Counts c && requests == c.requests && Arrays.equals(families, c.families)
                && Arrays.equals(codes, c.codes) && Arrays.equals(codeCounts, c.codeCounts);
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
