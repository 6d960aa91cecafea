package dev.burnrate.windows;

import dev.burnrate.core.Counts;
import dev.burnrate.core.LatencyCounting;
import dev.burnrate.core.Varints;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * One bucket of the finest tier: its counts and, while it is recent, the same split into sub-buckets of the early
 * evaluation step, so a window can end inside it (an early instant) exactly. Sub-buckets are primitive counters:
 * requests per sub-bucket, and the rarer statuses outside 2xx as a sparse list of (sub-bucket, status, count), so
 * the common request costs an increment and no object. Latency SLI counts (no requests of their own, see
 * {@link LatencyCounting}) are a second sparse list of (sub-bucket, key, count): an early instant sees a slow request
 * as it sees an error. Stored as the total's encoding (what {@link Counts#fromBytes} reads) followed by the
 * sub-buckets in varints, then the SLI list (absent in buckets written before latency SLIs existed).
 */
final class Fine {
    private final Counts total = new Counts();
    private int[] requests;     // per sub-bucket; null: none (no early evaluation, or dropped once the bucket is old)
    private int[] otherKeys;    // sub-bucket * 1000 + status, for statuses outside 2xx
    private long[] otherCounts;
    private int others;
    private long[] sliKeys;     // key << 16 | sub-bucket, for latency SLI counts
    private long[] sliCounts;
    private int slis;
    /** Changed since the writer's last commit (the writer's bookkeeping, not stored). */
    boolean dirty;

    Fine(int subBuckets) {
        if (subBuckets > 1) requests = new int[subBuckets];
    }

    Counts total() {
        return total;
    }

    void add(int sub, int status, long n) {
        total.add(status, n);
        if (requests == null) return;
        if (status >= LatencyCounting.SLI_BASE) {
            addSli((long) status << 16 | sub, n);
            return;
        }
        requests[sub] += (int) n;
        if (status / 100 != 2) addOther(sub * 1000 + status, n);
    }

    private void addOther(int key, long n) {
        for (int i = 0; i < others; i++) {
            if (otherKeys[i] == key) {
                otherCounts[i] += n;
                return;
            }
        }
        if (otherKeys == null) {
            otherKeys = new int[4];
            otherCounts = new long[4];
        } else if (others == otherKeys.length) {
            otherKeys = Arrays.copyOf(otherKeys, others * 2);
            otherCounts = Arrays.copyOf(otherCounts, others * 2);
        }
        otherKeys[others] = key;
        otherCounts[others++] = n;
    }

    private void addSli(long key, long n) {
        for (int i = 0; i < slis; i++) {
            if (sliKeys[i] == key) {
                sliCounts[i] += n;
                return;
            }
        }
        if (sliKeys == null) {
            sliKeys = new long[4];
            sliCounts = new long[4];
        } else if (slis == sliKeys.length) {
            sliKeys = Arrays.copyOf(sliKeys, slis * 2);
            sliCounts = Arrays.copyOf(sliCounts, slis * 2);
        }
        sliKeys[slis] = key;
        sliCounts[slis++] = n;
    }

    /** Sum of the sub-buckets [from, to), or null when there is no request there (or no sub-buckets any more). */
    Counts subs(int from, int to) {
        if (requests == null) return null;
        long sum = 0;
        for (int i = Math.max(0, from); i < Math.min(to, requests.length); i++) sum += requests[i];
        if (sum == 0) return null;
        Counts c = new Counts();
        for (int i = 0; i < others; i++) {
            int sub = otherKeys[i] / 1000;
            if (sub < from || sub >= to) continue;
            c.add(otherKeys[i] % 1000, otherCounts[i]);
            sum -= otherCounts[i];
        }
        if (sum > 0) c.add(200, sum); // the rest were 2xx: only their family is kept
        for (int i = 0; i < slis; i++) {
            int sub = (int) (sliKeys[i] & 0xFFFF);
            if (sub >= from && sub < to) c.add((int) (sliKeys[i] >>> 16), sliCounts[i]);
        }
        return c;
    }

    /** Adds the starts of the sub-buckets within [fromMs, toMs) that hold requests to out. */
    void nonEmpty(long startMs, long subMs, long fromMs, long toMs, List<Long> out) {
        if (requests == null) return;
        for (int i = 0; i < requests.length; i++) {
            long at = startMs + i * subMs;
            if (requests[i] != 0 && at >= fromMs && at < toMs) out.add(at);
        }
    }

    /** Returns whether there were sub-buckets to drop. */
    boolean dropSubs() {
        boolean had = requests != null;
        requests = null;
        otherKeys = null;
        otherCounts = null;
        others = 0;
        sliKeys = null;
        sliCounts = null;
        slis = 0;
        return had;
    }

    boolean hasSubs() {
        return requests != null;
    }

    byte[] toBytes() {
        int n = 0;
        if (requests != null) for (int r : requests) if (r != 0) n++;
        ByteBuffer b = ByteBuffer.allocate(total.encodedSize() + 20 + n * 10 + others * 20 + slis * 20);
        total.write(b);
        Varints.put(b, n);
        if (requests != null) {
            for (int i = 0; i < requests.length; i++) {
                if (requests[i] == 0) continue;
                Varints.put(b, i);
                Varints.put(b, requests[i]);
            }
        }
        Varints.put(b, others);
        for (int i = 0; i < others; i++) {
            Varints.put(b, otherKeys[i]);
            Varints.put(b, otherCounts[i]);
        }
        if (slis > 0) {
            Varints.put(b, slis);
            for (int i = 0; i < slis; i++) {
                Varints.put(b, sliKeys[i]);
                Varints.put(b, sliCounts[i]);
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /** Reads from b's position to its limit. */
    static Fine fromBytes(ByteBuffer b, int subBuckets) {
        Fine f = new Fine(subBuckets);
        f.total.add(Counts.read(b));
        if (!b.hasRemaining()) return f;
        int n = (int) Varints.get(b);
        for (int k = 0; k < n; k++) {
            int i = (int) Varints.get(b);
            int r = (int) Varints.get(b);
            if (f.requests != null && i < f.requests.length) f.requests[i] = r;
        }
        int m = (int) Varints.get(b);
        for (int k = 0; k < m; k++) {
            int key = (int) Varints.get(b);
            long c = Varints.get(b);
            if (f.requests != null && key / 1000 < f.requests.length) f.addOther(key, c);
        }
        int s = b.hasRemaining() ? (int) Varints.get(b) : 0;
        for (int k = 0; k < s; k++) {
            long key = Varints.get(b);
            long c = Varints.get(b);
            if (f.requests != null && (key & 0xFFFF) < f.requests.length) f.addSli(key, c);
        }
        return f;
    }
}
