package dev.burnrate.ingest;

import java.nio.charset.StandardCharsets;

/**
 * One String per distinct short ASCII value (service names, methods, dimension values), looked up by the record's
 * bytes: no String made for a value seen before, and the counting maps downstream hit on identity with the hash
 * already cached. Bounded: a fixed table where a new value replaces the one in its slot, so a stream of distinct
 * values costs a String each, as without the table, and never grows it. Shared by threads without locks: a slot
 * holds an immutable String, so a reader sees either the old value or the new one; a lost write costs a miss.
 */
final class Interner {
    private static final int SLOTS = 1024; // a power of two
    private static final int MAX_LENGTH = 64;
    private final Entry[] table = new Entry[SLOTS];

    /** A value's bytes with its String: one immutable object, so a racing reader never pairs one's bytes with
     * another's String. */
    private record Entry(byte[] bytes, String string) {
    }

    /** The String of the ASCII bytes {@code b[from, to)}. */
    String intern(byte[] b, int from, int to) {
        int len = to - from;
        if (len > MAX_LENGTH) return new String(b, from, len, StandardCharsets.ISO_8859_1);
        int h = 0;
        for (int i = from; i < to; i++) h = 31 * h + b[i];
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        Entry e = table[slot];
        if (e != null && same(e.bytes, b, from, len)) return e.string;
        byte[] copy = java.util.Arrays.copyOfRange(b, from, to);
        String s = new String(copy, StandardCharsets.ISO_8859_1);
        table[slot] = new Entry(copy, s);
        return s;
    }

    private static boolean same(byte[] known, byte[] b, int from, int len) {
        if (known.length != len) return false;
        for (int i = 0; i < len; i++) {
            if (known[i] != b[from + i]) return false;
        }
        return true;
    }
}
