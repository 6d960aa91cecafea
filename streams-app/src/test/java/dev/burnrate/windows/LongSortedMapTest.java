package dev.burnrate.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link LongSortedMap} against a {@code TreeMap} under the windows stage's pattern: mostly newer keys, some late, the oldest leaving. */
class LongSortedMapTest {

    @Test
    void behavesAsATreeMapUnderRandomOperations() {
        for (long seed = 1; seed <= 20; seed++) {
            Random rnd = new Random(seed);
            LongSortedMap<String> map = new LongSortedMap<>();
            TreeMap<Long, String> ref = new TreeMap<>();
            long newest = 0;
            for (int op = 0; op < 5_000; op++) {
                int kind = rnd.nextInt(10);
                if (kind < 5) { // a count: mostly the newest buckets, sometimes a late one
                    long key = rnd.nextInt(10) == 0 ? newest - rnd.nextInt(40) : newest + rnd.nextInt(3);
                    newest = Math.max(newest, key);
                    String v = map.computeIfAbsent(key, k -> "v" + k);
                    assertEquals(ref.computeIfAbsent(key, k -> "v" + k), v, "seed " + seed + " op " + op);
                } else if (kind == 5) {
                    long key = newest - rnd.nextInt(50);
                    map.put(key, "p" + op);
                    ref.put(key, "p" + op);
                } else if (kind == 6) { // expiry
                    long before = newest - 20 - rnd.nextInt(30);
                    map.removeBefore(before);
                    ref.headMap(before).clear();
                } else if (kind == 7 && !ref.isEmpty()) {
                    assertEquals(ref.firstKey(), map.firstKey());
                    assertEquals(ref.pollFirstEntry().getValue(), map.pollFirst());
                } else { // reads
                    long key = newest - rnd.nextInt(60);
                    assertEquals(ref.get(key), map.get(key));
                    long from = newest - rnd.nextInt(60);
                    long to = from + rnd.nextInt(30);
                    List<String> got = new ArrayList<>();
                    map.forEach(from, to, (k, v) -> got.add(k + "=" + v));
                    List<String> want = new ArrayList<>();
                    for (Map.Entry<Long, String> e : ref.subMap(from, to).entrySet()) want.add(e.getKey() + "=" + e.getValue());
                    assertEquals(want, got, "seed " + seed + " op " + op);
                }
                assertEquals(ref.size(), map.size());
                assertEquals(ref.isEmpty(), map.isEmpty());
            }
        }
    }

    @Test
    void emptyMap() {
        LongSortedMap<String> map = new LongSortedMap<>();
        assertTrue(map.isEmpty());
        assertNull(map.get(5));
        assertThrows(NoSuchElementException.class, map::firstKey);
        map.put(5, "a");
        map.removeBefore(6);
        assertTrue(map.isEmpty());
        assertNull(map.get(5));
    }
}
