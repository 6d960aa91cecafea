package dev.burnrate.ingest;

import java.nio.charset.StandardCharsets;

/**
 * The parser's text primitives over any {@link CharSequence}: a String from Jackson, or a {@link Bytes} view of an
 * ASCII value inside the record. Same semantics as the String methods they stand for ({@code strip},
 * {@code isBlank}, {@code Double.parseDouble} on plain decimals), without a String per value.
 */
final class Text {
    private Text() {
    }

    /** An ASCII run of a record's bytes seen as text; made only for values the scanner has checked are ASCII.
     * Mutable, so one per thread serves every value: nothing may keep it beyond the call it is passed to. */
    static final class Bytes implements CharSequence {
        byte[] bytes;
        int from, to;

        Bytes() {
        }

        Bytes(byte[] bytes, int from, int to) {
            set(bytes, from, to);
        }

        Bytes set(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.from = from;
            this.to = to;
            return this;
        }

        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int index) {
            return (char) bytes[from + index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Bytes(bytes, from + start, from + end);
        }

        @Override
        public String toString() {
            return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
        }
    }

    /** Index of the first non-whitespace char ({@link Character#isWhitespace}, as {@link String#strip}). */
    static int stripStart(CharSequence s) {
        int i = 0, n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    /** End of the text after trailing whitespace, not before {@code from}. */
    static int stripEnd(CharSequence s, int from) {
        int n = s.length();
        while (n > from && Character.isWhitespace(s.charAt(n - 1))) n--;
        return n;
    }

    /** {@code s.toString().strip()}. */
    static String strip(CharSequence s) {
        if (s instanceof String str) return str.strip();
        int from = stripStart(s);
        return s.subSequence(from, stripEnd(s, from)).toString();
    }

    /** {@code s.toString().isBlank()}: no whitespace code point is a supplementary one, so char by char is the same. */
    static boolean isBlank(CharSequence s) {
        return stripStart(s) == s.length();
    }

    /** The number of dots when {@code s[from, to)} is digits with at most one dot (and not the dot alone), else -1. */
    static int numeric(CharSequence s, int from, int to) {
        if (from == to) return -1;
        int dots = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '.') dots++;
            else if (c < '0' || c > '9') return -1;
        }
        return dots <= 1 && to - from > dots ? dots : -1;
    }

    /** Value of at most 18 ASCII digits (checked by the caller). */
    static long parseDigits(CharSequence s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) v = v * 10 + (s.charAt(i) - '0');
        return v;
    }

    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /**
     * {@code Double.parseDouble} of {@code s[from, to)}, which {@link #numeric} accepted. With at most 15 digits the
     * digits and the power of ten are exact doubles, so one division is correctly rounded: the same double as
     * {@code Double.parseDouble}, without the String.
     */
    static double parseDecimal(CharSequence s, int from, int to) {
        if (to - from <= 16) {
            long m = 0;
            int scale = 0;
            boolean dot = false;
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c == '.') {
                    dot = true;
                } else {
                    m = m * 10 + (c - '0');
                    if (dot) scale++;
                }
            }
            if (m < (1L << 53)) return m / POWERS_OF_TEN[scale];
        }
        return Double.parseDouble(s.subSequence(from, to).toString());
    }

    /** {@code m / 10^scale} when that is exactly what {@code Double.parseDouble} gives; NaN when it may not be. */
    static double exactDecimal(long m, int scale) {
        return m < (1L << 53) && scale < POWERS_OF_TEN.length ? m / POWERS_OF_TEN[scale] : Double.NaN;
    }
}
