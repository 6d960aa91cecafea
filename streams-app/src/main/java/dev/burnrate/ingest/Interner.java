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
    private final String[] table = new String[SLOTS];

    /** The String of the ASCII bytes {@code b[from, to)}. */
    String intern(byte[] b, int from, int to) {
        int len = to - from;
        if (len > MAX_LENGTH) return new String(b, from, len, StandardCharsets.ISO_8859_1);
        int h = 0;
        for (int i = from; i < to; i++) h = 31 * h + b[i]; // String.hashCode of the same characters
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        String s = table[slot];
        if (s != null && s.hashCode() == h && s.length() == len && sameChars(s, b, from)) return s;
        s = new String(b, from, len, StandardCharsets.ISO_8859_1);
        table[slot] = s;
        return s;
    }

    private static boolean sameChars(String s, byte[] b, int from) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != b[from + i]) return false;
        }
        return true;
    }
}
