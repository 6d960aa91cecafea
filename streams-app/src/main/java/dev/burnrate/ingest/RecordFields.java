package dev.burnrate.ingest;

import dev.burnrate.ingest.FieldMappings.Field;
import dev.burnrate.ingest.FieldMappings.Slot;

/**
 * What one record's candidate values come to, per field: the winning candidate's value (the highest-precedence
 * usable one, {@link JsonAccessLogParser}'s "Precedence" rule) and, for the status and the timestamp, the best
 * unusable one for the error message. Values arrive as text (a String, or {@link Text.Bytes} straight from the
 * record) or as JSON numbers, and are converted here, in one place, whichever reader found them.
 */
final class RecordFields {
    static final int TS = Field.TIMESTAMP.ordinal();
    static final int SERVICE = Field.SERVICE.ordinal();
    static final int ROUTE = Field.ROUTE.ordinal();
    static final int METHOD = Field.METHOD.ordinal();
    static final int STATUS = Field.STATUS.ordinal();
    static final int DURATION = Field.DURATION.ordinal();

    static {
        // the conversions switch on these ordinals as literals
        if (TS != 0 || SERVICE != 1 || ROUTE != 2 || METHOD != 3 || STATUS != 4 || DURATION != 5) {
            throw new AssertionError("FieldMappings.Field order changed");
        }
    }

    private final Interner interner;
    /** the one view of the record's bytes that every text value from the scanner goes through */
    private final Text.Bytes view = new Text.Bytes();
    /** the winner per field; null while the field has none */
    final Slot[] winners;
    long timestampMs;
    int status;
    double durationMs;
    /** service, route, method and dimensions, at their field index */
    final String[] texts;
    Slot badStatus, badTimestamp;
    Object badStatusValue, badTimestampValue;
    /** a string in {@code log} / {@code message} (or an OTLP body): read only when the record has no status */
    String embedded;
    String embeddedPath;
    /** why the embedded text gave nothing, for the missing-status message */
    String embeddedNote;

    RecordFields(int slotCount, Interner interner) {
        this.interner = interner;
        winners = new Slot[slotCount];
        texts = new String[slotCount];
    }

    /** Empty again, for the next record. */
    void clear() {
        java.util.Arrays.fill(winners, null);
        java.util.Arrays.fill(texts, null);
        badStatus = badTimestamp = null;
        badStatusValue = badTimestampValue = null;
        embedded = embeddedPath = embeddedNote = null;
    }

    boolean has(int field) {
        return winners[field] != null;
    }

    /** A String, Long or Double value (what Jackson's scalars and OTLP attributes are). */
    void capture(Slot[] slots, Object raw) {
        if (raw instanceof Long l) capture(slots, l.longValue());
        else if (raw instanceof Double d) capture(slots, d.doubleValue());
        else capture(slots, (CharSequence) raw);
    }

    /** A text value straight from the record's bytes {@code b[from, to)}, which the caller has checked are ASCII. */
    void capture(Slot[] slots, byte[] b, int from, int to) {
        capture(slots, view.set(b, from, to));
    }

    /** A text value; blank or {@code "-"} (nginx's "no value") counts as absent. */
    void capture(Slot[] slots, CharSequence raw) {
        if (Text.isBlank(raw) || raw.length() == 1 && raw.charAt(0) == '-') return;
        for (Slot s : slots) {
            if (wins(s) && convertText(s, raw)) won(s);
        }
    }

    void capture(Slot[] slots, long raw) {
        for (Slot s : slots) {
            if (wins(s) && convertLong(s, raw)) won(s);
        }
    }

    void capture(Slot[] slots, double raw) {
        for (Slot s : slots) {
            if (wins(s) && convertDouble(s, raw)) won(s);
        }
    }

    private boolean wins(Slot s) {
        Slot w = winners[s.field];
        return w == null || w.rank > s.rank;
    }

    private void won(Slot s) {
        winners[s.field] = s;
    }

    /** Whether the value is usable for the slot's field; if so, it is the field's value now. */
    private boolean convertText(Slot s, CharSequence raw) {
        switch (s.field) {
            case 0: { // TIMESTAMP
                long ms = Timestamps.fromText(raw);
                if (ms == Timestamps.BAD_TIME) badTimestamp(s, raw.toString());
                return timestamp(ms);
            }
            case 4: { // STATUS
                int from = Text.stripStart(raw), to = Text.stripEnd(raw, from);
                long code = statusDigits(raw, from, to);
                if (code == NOT_DIGITS) return badStatus(s, raw.toString());
                return status((int) code);
            }
            case 5: { // DURATION
                double d;
                if (Text.numeric(raw, 0, raw.length()) >= 0) {
                    d = Text.parseDecimal(raw, 0, raw.length());
                } else {
                    try {
                        d = Double.parseDouble(raw.toString());
                    } catch (NumberFormatException e) {
                        d = Double.NaN;
                    }
                }
                return duration(s, d);
            }
            case 2: { // ROUTE: raw
                String str = raw.toString();
                return text(s, s.derive == Slot.Derive.REQUEST_LINE ? AccessLine.requestTarget(str.strip()) : str);
            }
            case 1: { // SERVICE
                String text = stripped(raw);
                return text(s, s.derive == Slot.Derive.ENVOY_CLUSTER ? serviceFromEnvoyCluster(text) : text);
            }
            case 3: { // METHOD
                String text = stripped(raw);
                return text(s, s.derive == Slot.Derive.REQUEST_LINE ? AccessLine.requestMethod(text) : text);
            }
            default: // dimensions
                return text(s, stripped(raw));
        }
    }

    // (a raw number is boxed only to be kept as an unusable value for the message)
    private boolean convertLong(Slot s, long raw) {
        switch (s.field) {
            case 0: {
                long ms = Timestamps.fromEpochNumber(raw);
                if (ms == Timestamps.BAD_TIME) badTimestamp(s, raw);
                return timestamp(ms);
            }
            case 4:
                return status((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, raw)));
            case 5:
                return duration(s, raw);
            default:
                return convertText(s, Long.toString(raw));
        }
    }

    private boolean convertDouble(Slot s, double raw) {
        switch (s.field) {
            case 0: {
                long ms = Timestamps.fromEpochNumber(raw);
                if (ms == Timestamps.BAD_TIME) badTimestamp(s, raw);
                return timestamp(ms);
            }
            case 4:
                return raw == Math.rint(raw) && Math.abs(raw) < 1e9 ? status((int) raw) : badStatus(s, raw);
            case 5:
                return duration(s, raw);
            default:
                return convertText(s, Double.toString(raw));
        }
    }

    private boolean timestamp(long ms) {
        if (ms == Timestamps.NO_TIME || ms == Timestamps.BAD_TIME) return false;
        timestampMs = ms;
        return true;
    }

    /** Keeps the best unusable timestamp for the message: a String, Long or Double, never a view of the bytes. */
    private void badTimestamp(Slot s, Object raw) {
        if (badTimestamp == null || s.rank < badTimestamp.rank) {
            badTimestamp = s;
            badTimestampValue = raw;
        }
    }

    /** An integer status (its range is checked when the event is built). */
    private boolean status(int code) {
        status = code;
        return true;
    }

    /** Keeps the best non-integer status for the message; false (the value is not usable). */
    private boolean badStatus(Slot s, Object raw) {
        if (badStatus == null || s.rank < badStatus.rank) {
            badStatus = s;
            badStatusValue = raw;
        }
        return false;
    }

    private boolean duration(Slot s, double d) {
        if (!(d >= 0 && d < Double.POSITIVE_INFINITY)) return false;
        durationMs = s.unit.toMillis(d);
        return true;
    }

    private boolean text(Slot s, String text) {
        if (text == null) return false;
        texts[s.field] = text;
        return true;
    }

    /** Text of a value without surrounding whitespace; a value straight from the record through the interner. */
    private String stripped(CharSequence raw) {
        if (raw instanceof Text.Bytes b) {
            int from = Text.stripStart(b);
            return interner.intern(b.bytes, b.from + from, b.from + Text.stripEnd(b, from));
        }
        return Text.strip(raw);
    }

    private static final long NOT_DIGITS = Long.MIN_VALUE;

    /** The digits of a status, optionally signed (accumulation stops past 1e9); {@link #NOT_DIGITS} when not an
     * integer. */
    private static long statusDigits(CharSequence s, int i, int n) {
        boolean neg = false;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        if (i == n) return NOT_DIGITS;
        long val = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return NOT_DIGITS;
            if (val < 1_000_000_000L) val = val * 10 + (c - '0');
        }
        return neg ? -val : val;
    }

    /** {@code direction|port|subset|host} -> first DNS label of host; null when not in that form or no host. */
    static String serviceFromEnvoyCluster(String cluster) {
        int bar = cluster.lastIndexOf('|');
        if (bar < 0 || bar == cluster.length() - 1) return null;
        int bars = 0;
        for (int i = 0; i < cluster.length(); i++) if (cluster.charAt(i) == '|') bars++;
        if (bars != 3) return null;
        int end = cluster.indexOf('.', bar + 1);
        String label = end < 0 ? cluster.substring(bar + 1) : cluster.substring(bar + 1, end);
        return label.isEmpty() ? null : label;
    }

    // ---- values from elsewhere than a candidate path (the request inside a string field) ----

    /** Sets a field outright, attributed to {@code path} (for messages). */
    void set(int field, String path, long timestampMs, int status, String text) {
        if (field == TS) this.timestampMs = timestampMs;
        else if (field == STATUS) this.status = status;
        else texts[field] = text;
        winners[field] = new Slot(field, -1, path, null, Slot.Derive.NONE);
    }

    /** Takes every field {@code inner} has, with its value and its winner. */
    void overrideWith(RecordFields inner) {
        for (int f = 0; f < winners.length; f++) {
            if (inner.winners[f] == null) continue;
            winners[f] = inner.winners[f];
            if (f == TS) timestampMs = inner.timestampMs;
            else if (f == STATUS) status = inner.status;
            else if (f == DURATION) durationMs = inner.durationMs;
            else texts[f] = inner.texts[f];
        }
        if (badStatus == null) {
            badStatus = inner.badStatus;
            badStatusValue = inner.badStatusValue;
        }
        if (badTimestamp == null) {
            badTimestamp = inner.badTimestamp;
            badTimestampValue = inner.badTimestampValue;
        }
    }
}
