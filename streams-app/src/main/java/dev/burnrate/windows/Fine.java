package dev.burnrate.windows;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One bucket of the finest tier: its counts and, while it is recent, the same split into sub-buckets of the early
 * evaluation step, so a window can end inside it (an early instant) exactly. Stored as the total's encoding (what
 * {@link Counts#fromBytes} reads) followed by the non-empty sub-buckets as (index, counts in varints).
 */
final class Fine {
    private final Counts total = new Counts();
    private Counts[] subs; // null: none (no early evaluation, or dropped once the bucket is old)

    Fine(int subBuckets) {
        if (subBuckets > 1) subs = new Counts[subBuckets];
    }

    Counts total() {
        return total;
    }

    void add(int sub, int status, long n) {
        total.add(status, n);
        if (subs == null) return;
        Counts c = subs[sub];
        if (c == null) subs[sub] = c = new Counts();
        c.add(status, n);
    }

    /** Sum of the sub-buckets [from, to), or null when there is none there (or no longer any). */
    Counts subs(int from, int to) {
        if (subs == null) return null;
        Counts sum = null;
        for (int i = Math.max(0, from); i < Math.min(to, subs.length); i++) {
            if (subs[i] == null) continue;
            if (sum == null) sum = new Counts();
            sum.add(subs[i]);
        }
        return sum;
    }

    /** Adds the starts of the non-empty sub-buckets within [fromMs, toMs) to out. */
    void nonEmpty(long startMs, long subMs, long fromMs, long toMs, List<Long> out) {
        if (subs == null) return;
        for (int i = 0; i < subs.length; i++) {
            long at = startMs + i * subMs;
            if (subs[i] != null && at >= fromMs && at < toMs) out.add(at);
        }
    }

    /** Returns whether there were sub-buckets to drop. */
    boolean dropSubs() {
        boolean had = subs != null;
        subs = null;
        return had;
    }

    boolean hasSubs() {
        return subs != null;
    }

    byte[] toBytes() {
        int size = total.encodedSize() + 2;
        int n = 0;
        if (subs != null) {
            for (Counts c : subs) {
                if (c == null) continue;
                size += 2 + c.compactSizeBound();
                n++;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        total.write(b);
        b.putShort((short) n);
        if (subs != null) {
            for (int i = 0; i < subs.length; i++) {
                if (subs[i] == null) continue;
                b.putShort((short) i);
                subs[i].writeCompact(b);
            }
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    static Fine fromBytes(byte[] bytes, int subBuckets) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        Fine f = new Fine(subBuckets);
        f.total.add(Counts.read(b));
        int n = b.remaining() >= 2 ? b.getShort() : 0;
        for (int k = 0; k < n; k++) {
            int i = b.getShort();
            Counts c = Counts.readCompact(b);
            if (f.subs != null && i < f.subs.length) f.subs[i] = c;
        }
        return f;
    }
}
