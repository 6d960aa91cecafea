package dev.burnrate.ingest;

import dev.burnrate.ingest.FieldMappings.PathIndex;
import dev.burnrate.ingest.FieldMappings.PathIndex.Node;
import dev.burnrate.ingest.FieldMappings.Slot;
import java.nio.charset.StandardCharsets;

/**
 * The parser's fast path: one pass over the record's bytes for the common case, strict JSON whose strings are ASCII
 * without escapes and which has no OTLP key/value array. Keys are followed through {@link PathIndex} without a
 * String; a candidate's value reaches {@link RecordFields} as a view of the bytes, so a timestamp or a status is
 * read without a String, and only the values of candidate paths are read at all. Anything else (an escape, a
 * non-ASCII byte, an array where a candidate may be, malformed JSON, deep nesting) makes it give up, and
 * {@link JsonAccessLogParser} reads the record again with Jackson: same fields, same errors, whichever path ran.
 */
final class JsonScanner {
    /** Jackson's limit is 1000; deeper than this is left to it, so both agree on what is too deep. */
    private static final int MAX_DEPTH = 200;
    /** Jackson rejects numbers over 1000 characters; longer than this is left to it. */
    private static final int MAX_NUMBER = 100;
    private static final byte[] LOG = "log".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);
    private static final int GIVE_UP = -1;

    private final PathIndex index;

    JsonScanner(PathIndex index) {
        this.index = index;
    }

    /** Whether the record was read whole into {@code out}; if not, {@code out} may hold part of it: discard it. */
    boolean scan(byte[] v, RecordFields out) {
        int i = ws(v, 0);
        if (i >= v.length || v[i] != '{') return false;
        i = object(v, i + 1, index.root, 1, out);
        return i >= 0 && ws(v, i) == v.length;
    }

    /** From after '{' to after its '}'; {@code parent} null: nothing under it is a candidate. */
    private int object(byte[] v, int i, Node parent, int depth, RecordFields out) {
        if (depth > MAX_DEPTH) return GIVE_UP;
        int n = v.length;
        i = ws(v, i);
        if (i < n && v[i] == '}') return i + 1;
        while (true) {
            if (i >= n || v[i] != '"') return GIVE_UP;
            int keyFrom = ++i, h = 0;
            byte c;
            while (i < n && (c = v[i]) != '"') {
                if (c < 0x20 || c == '\\') return GIVE_UP; // a control char, a non-ASCII byte (negative), an escape
                h = 31 * h + c;
                i++;
            }
            if (i >= n) return GIVE_UP;
            int keyTo = i;
            i = ws(v, i + 1);
            if (i >= n || v[i] != ':') return GIVE_UP;
            i = ws(v, i + 1);
            if (i >= n) return GIVE_UP;
            Node node = parent == null ? null : index.child(parent, v, keyFrom, keyTo, h);
            c = v[i];
            if (c == '"') {
                int from = i + 1;
                i = string(v, from);
                if (i < 0) return GIVE_UP;
                if (node != null && node.slots != null) {
                    out.capture(node.slots, v, from, i - 1);
                } else if (parent == index.root && out.embedded == null
                        && (is(v, keyFrom, keyTo, LOG) || is(v, keyFrom, keyTo, MESSAGE))) {
                    out.embedded = new String(v, from, i - 1 - from, StandardCharsets.ISO_8859_1);
                    out.embeddedPath = new String(v, keyFrom, keyTo - keyFrom, StandardCharsets.ISO_8859_1);
                }
            } else if (c == '{') {
                i = object(v, i + 1, node != null && node.prefix ? node : null, depth + 1, out);
            } else if (c == '[') {
                if (node != null && node.prefix) return GIVE_UP; // an OTLP key/value array: the general reader's
                i = array(v, i + 1, depth + 1, out);
            } else {
                i = scalar(v, i, node == null ? null : node.slots, out);
            }
            if (i < 0) return GIVE_UP;
            i = ws(v, i);
            if (i >= n) return GIVE_UP;
            if (v[i] == '}') return i + 1;
            if (v[i] != ',') return GIVE_UP;
            i = ws(v, i + 1);
        }
    }

    /** From after '[' to after its ']', nothing in it read. */
    private int array(byte[] v, int i, int depth, RecordFields out) {
        if (depth > MAX_DEPTH) return GIVE_UP;
        int n = v.length;
        i = ws(v, i);
        if (i < n && v[i] == ']') return i + 1;
        while (true) {
            if (i >= n) return GIVE_UP;
            byte c = v[i];
            if (c == '"') i = string(v, i + 1);
            else if (c == '{') i = object(v, i + 1, null, depth + 1, out);
            else if (c == '[') i = array(v, i + 1, depth + 1, out);
            else i = scalar(v, i, null, out);
            if (i < 0) return GIVE_UP;
            i = ws(v, i);
            if (i >= n) return GIVE_UP;
            if (v[i] == ']') return i + 1;
            if (v[i] != ',') return GIVE_UP;
            i = ws(v, i + 1);
        }
    }

    /** From after the opening quote to after the closing one. */
    private static int string(byte[] v, int i) {
        int n = v.length;
        for (; i < n; i++) {
            byte c = v[i];
            if (c == '"') return i + 1;
            if (c < 0x20 || c == '\\') return GIVE_UP;
        }
        return GIVE_UP;
    }

    /** A number (captured when {@code slots} is not null) or true/false/null (never a value: Jackson's reader
     * ignores them too); to after it. */
    private static int scalar(byte[] v, int i, Slot[] slots, RecordFields out) {
        int n = v.length;
        byte c = v[i];
        if (c == 't') return literal(v, i, "true");
        if (c == 'f') return literal(v, i, "false");
        if (c == 'n') return literal(v, i, "null");
        int start = i;
        boolean neg = c == '-';
        if (neg) i++;
        if (i >= n) return GIVE_UP;
        long m = 0;
        int digits = 0;
        if (v[i] == '0') {
            i++;
            digits = 1;
        } else if (v[i] >= '1' && v[i] <= '9') {
            while (i < n && v[i] >= '0' && v[i] <= '9') {
                m = m * 10 + (v[i++] - '0');
                digits++;
            }
        } else {
            return GIVE_UP;
        }
        boolean fraction = false, exponent = false;
        int scale = 0;
        if (i < n && v[i] == '.') {
            fraction = true;
            int from = ++i;
            while (i < n && v[i] >= '0' && v[i] <= '9') {
                m = m * 10 + (v[i++] - '0');
                digits++;
            }
            if (i == from) return GIVE_UP;
            scale = i - from;
        }
        if (i < n && (v[i] == 'e' || v[i] == 'E')) {
            exponent = true;
            i++;
            if (i < n && (v[i] == '+' || v[i] == '-')) i++;
            int from = i;
            while (i < n && v[i] >= '0' && v[i] <= '9') i++;
            if (i == from) return GIVE_UP;
        }
        if (i - start > MAX_NUMBER) return GIVE_UP;
        if (slots == null) return i;
        if (!fraction && !exponent) {
            if (digits > 18) return GIVE_UP; // may not fit a long: Jackson gives those as text
            out.capture(slots, neg ? -m : m);
        } else {
            double d = digits <= 15 && !exponent ? Text.exactDecimal(m, scale) : Double.NaN;
            if (Double.isNaN(d)) d = Double.parseDouble(new String(v, start, i - start, StandardCharsets.ISO_8859_1));
            else if (neg) d = -d;
            out.capture(slots, d);
        }
        return i;
    }

    private static int literal(byte[] v, int i, String word) {
        if (i + word.length() > v.length) return GIVE_UP;
        for (int k = 0; k < word.length(); k++) {
            if (v[i + k] != word.charAt(k)) return GIVE_UP;
        }
        return i + word.length();
    }

    private static boolean is(byte[] v, int from, int to, byte[] word) {
        return java.util.Arrays.equals(v, from, to, word, 0, word.length);
    }

    /** JSON whitespace, as Jackson skips it. */
    private static int ws(byte[] v, int i) {
        while (i < v.length) {
            byte c = v[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
            i++;
        }
        return i;
    }
}
