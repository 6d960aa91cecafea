package dev.burnrate.windows;

import java.util.Arrays;
import java.util.function.LongFunction;

/**
 * A map from long (a bucket start) to values, in key order, held in two arrays. Built for the windows stage's
 * bucket series: keys arrive nearly in order (a new bucket is almost always the newest) and leave oldest first, so
 * an insert is an append, a lookup of the newest bucket one comparison, and expiry moves the head; a {@code
 * TreeMap<Long, V>} paid a boxed key and a tree node per bucket and a tree walk per insert (3-5% of the stream
 * thread in a replay, where every key gets a new 10 s bucket every few hundred records).
 */
final class LongSortedMap<V> {
    /** Visits one entry. */
    @FunctionalInterface
    interface Visitor<V> {
        void visit(long key, V value);
    }

    private long[] keys = new long[4];
    private Object[] values = new Object[4];
    /** The entries are at [head, tail), keys ascending. */
    private int head;
    private int tail;

    int size() {
        return tail - head;
    }

    boolean isEmpty() {
        return tail == head;
    }

    /** The smallest key; only when not empty. */
    long firstKey() {
        if (isEmpty()) throw new java.util.NoSuchElementException();
        return keys[head];
    }

    V get(long key) {
        int i = find(key);
        return i >= 0 ? value(i) : null;
    }

    void put(long key, V value) {
        int i = find(key);
        if (i >= 0) values[i] = value;
        else insert(-i - 1, key, value);
    }

    V computeIfAbsent(long key, LongFunction<? extends V> create) {
        int i = find(key);
        if (i >= 0) return value(i);
        V v = create.apply(key);
        insert(-i - 1, key, v);
        return v;
    }

    /** Removes and returns the entry with the smallest key's value; only when not empty. */
    V pollFirst() {
        V v = value(head);
        values[head++] = null;
        if (head == tail) head = tail = 0;
        return v;
    }

    /** Removes every entry with a key below {@code key}. */
    void removeBefore(long key) {
        while (head < tail && keys[head] < key) values[head++] = null;
        if (head == tail) head = tail = 0;
    }

    /** Visits the entries with keys in [from, to), ascending. */
    void forEach(long from, long to, Visitor<? super V> visitor) {
        int i = find(from);
        if (i < 0) i = -i - 1;
        for (; i < tail && keys[i] < to; i++) visitor.visit(keys[i], value(i));
    }

    @SuppressWarnings("unchecked")
    private V value(int i) {
        return (V) values[i];
    }

    /** The key's index, or -(insertion index) - 1; the newest key is checked first. */
    private int find(long key) {
        if (tail > head) {
            long last = keys[tail - 1];
            if (last == key) return tail - 1;
            if (last < key) return -(tail + 1);
        }
        int lo = head;
        int hi = tail - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long k = keys[mid];
            if (k < key) lo = mid + 1;
            else if (k > key) hi = mid - 1;
            else return mid;
        }
        return -(lo + 1);
    }

    private void insert(int at, long key, V value) {
        if (tail == keys.length) {
            int n = tail - head;
            if (n * 2 > keys.length) { // more than half full: grow; else the expired head's room is enough
                keys = Arrays.copyOf(keys, keys.length * 2);
                values = Arrays.copyOf(values, values.length * 2);
            }
            System.arraycopy(keys, head, keys, 0, n);
            System.arraycopy(values, head, values, 0, n);
            Arrays.fill(values, n, tail, null);
            at -= head;
            head = 0;
            tail = n;
        }
        System.arraycopy(keys, at, keys, at + 1, tail - at);
        System.arraycopy(values, at, values, at + 1, tail - at);
        keys[at] = key;
        values[at] = value;
        tail++;
    }
}
