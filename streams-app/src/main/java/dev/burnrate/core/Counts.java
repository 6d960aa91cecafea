package dev.burnrate.core;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Request counts of one bucket or window: the total, by status family (1xx-5xx) and by exact code for 4xx and 5xx
 * (so an SLO can count e.g. 429 as an error, and evidence can name the dominant 5xx code), and the counts of latency
 * SLIs (keys from {@link LatencyCounting#SLI_BASE}, see there), which are no requests of their own.
 * Mutable on purpose: it is the aggregation hot path. Exact codes are kept sparse (a bucket sees few distinct codes).
 */
public final class Counts {
    private long requests;
    private final long[] families = new long[6]; // index 1..5
    private static final int[] NO_CODES = new int[0];
    private static final long[] NO_COUNTS = new long[0];
    /** In the first format's code count: latency SLI counts follow the codes. */
    private static final int WITH_SLI = 0x4000;
    private int[] codes = NO_CODES;        // sorted exact codes 400-599, then SLI keys (replaced, never written in place, when one is added)
    private long[] codeCounts = NO_COUNTS;

    public static Counts of(int status, long n) {
        Counts c = new Counts();
        c.add(status, n);
        return c;
    }

    public void add(int status, long n) {
        if (status >= LatencyCounting.SLI_BASE) {
            addCode(status, n);
            return;
        }
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
        int i = Arrays.binarySearch(codes, code);
        if (i >= 0) {
            codeCounts[i] += n;
            return;
        }
        int at = -i - 1;
        int[] c = new int[codes.length + 1];
        long[] k = new long[codes.length + 1];
        System.arraycopy(codes, 0, c, 0, at);
        System.arraycopy(codeCounts, 0, k, 0, at);
        c[at] = code;
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

    /** @param code 400..599 (other codes are only counted by family), or a latency SLI's key */
    public long code(int code) {
        int i = Arrays.binarySearch(codes, code);
        return i >= 0 ? codeCounts[i] : 0;
    }

    /** The exact 4xx/5xx codes seen, ascending. */
    public int[] codes() {
        return Arrays.copyOf(codes, statusCodes());
    }

    /** How many of {@link #codes} are status codes (the rest are SLI keys). */
    private int statusCodes() {
        int n = codes.length;
        while (n > 0 && codes[n - 1] >= LatencyCounting.SLI_BASE) n--;
        return n;
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
     * Compact encoding: a format byte, then in varints requests, the 5 families, the number of exact codes and SLI
     * keys, and (code, count) pairs: ~10 bytes for a typical bucket. The first format wrote fixed 8-byte longs (50
     * bytes and more); its first byte is always 0 (a request count below 2^56), so it is still read.
     */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(encodedSize());
        write(b);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** An upper bound of the bytes {@link #write} takes. */
    public int encodedSize() {
        return 1 + 7 * Varints.MAX_BYTES + codes.length * 2 * Varints.MAX_BYTES;
    }

    private static final byte FIXED = 0, VARINTS = 1;

    public void write(ByteBuffer b) {
        b.put(VARINTS);
        Varints.put(b, requests);
        for (int i = 1; i <= 5; i++) Varints.put(b, families[i]);
        Varints.put(b, codes.length);
        for (int i = 0; i < codes.length; i++) {
            Varints.put(b, codes[i]);
            Varints.put(b, codeCounts[i]);
        }
    }

    /** Reads what {@link #toBytes} wrote, leaving anything after it (a finest bucket's sub-buckets) unread. */
    public static Counts fromBytes(byte[] bytes) {
        return read(ByteBuffer.wrap(bytes));
    }

    /** Reads what {@link #write} (or the first, fixed-width format) wrote at b's position, leaving b after it. */
    public static Counts read(ByteBuffer b) {
        if (b.get(b.position()) == FIXED) return readFixed(b);
        b.get();
        Counts c = new Counts();
        c.requests = Varints.get(b);
        for (int i = 1; i <= 5; i++) c.families[i] = Varints.get(b);
        int n = (int) Varints.get(b);
        c.codes = n == 0 ? NO_CODES : new int[n];
        c.codeCounts = n == 0 ? NO_COUNTS : new long[n];
        for (int i = 0; i < n; i++) {
            c.codes[i] = (int) Varints.get(b);
            c.codeCounts[i] = Varints.get(b);
        }
        return c;
    }

    /** The first format: fixed-width longs, status codes as shorts, then (in flagged records) SLI keys as ints. */
    private static Counts readFixed(ByteBuffer b) {
        Counts c = new Counts();
        c.requests = b.getLong();
        for (int i = 1; i <= 5; i++) c.families[i] = b.getLong();
        int n = b.getShort();
        boolean withSli = (n & WITH_SLI) != 0;
        n &= ~WITH_SLI;
        int m = withSli ? b.getShort(b.position() + n * 10) : 0; // the SLI count follows the codes: read ahead to size the arrays once
        c.codes = n + m == 0 ? NO_CODES : new int[n + m];
        c.codeCounts = n + m == 0 ? NO_COUNTS : new long[n + m];
        for (int i = 0; i < n; i++) {
            c.codes[i] = b.getShort();
            c.codeCounts[i] = b.getLong();
        }
        if (withSli) b.getShort();
        for (int i = n; i < n + m; i++) {
            c.codes[i] = b.getInt();
            c.codeCounts[i] = b.getLong();
        }
        return c;
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
