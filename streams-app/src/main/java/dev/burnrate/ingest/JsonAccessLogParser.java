package dev.burnrate.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.burnrate.ingest.FieldMappings.Field;
import dev.burnrate.ingest.FieldMappings.Slot;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one JSON access-log record (UTF-8 bytes of one JSON object) into an {@link AccessEvent}, whatever shipper
 * convention it follows: plain, Elastic Common Schema, OpenTelemetry semantic conventions (current and older),
 * nginx JSON {@code log_format}, Envoy/Istio JSON access logs, Fluent Bit, Vector, Logstash. Where each field is
 * looked for, and in which order, is {@link FieldMappings}; keys may be dotted, nested, or a mix.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li><b>Precedence.</b> For each field the highest-precedence candidate with a <em>usable</em> value wins.
 *       JSON {@code null}, blank strings and {@code "-"} (nginx's "no value") count as absent. A value that is
 *       present but unusable (a status {@code "info"}, a timestamp {@code "yesterday"}) does not stop the search:
 *       a later candidate may still supply the field (Datadog-style records put the log level in {@code status} and
 *       the HTTP code in {@code http.status_code}). Objects and arrays found where a scalar is expected are
 *       ignored.</li>
 *   <li><b>Timestamp.</b> ISO-8601 {@code yyyy-MM-dd'T'HH:mm[:ss[.fraction]]} with {@code Z}, {@code ±hh:mm},
 *       {@code ±hhmm} or {@code ±hh}; a space instead of {@code T} is accepted, and no offset means UTC. Fractions
 *       beyond milliseconds are truncated. nginx's {@code $time_local} form {@code 21/Nov/2024:14:40:00 +0000} is
 *       accepted too. Numbers (JSON numbers or numeric strings, integral or not) are epoch time whose unit is decided
 *       by magnitude: below 1e11 seconds (1e11 s is the year 5138), below 1e14 milliseconds, below 1e17
 *       microseconds, else nanoseconds; a fractional second or millisecond value is rounded to the nearest
 *       millisecond, sub-millisecond units are truncated. A millisecond timestamp before March 1973 would be read as seconds; no
 *       access log has one. Zero means "unset" (as in OTLP) and counts as absent. No timestamp at all: the Kafka
 *       record's timestamp is used. Present but none readable: {@link DeadLetterReason#INVALID_TIMESTAMP}.</li>
 *   <li><b>Service.</b> From the service candidates; when none has a value, from an Istio-style Envoy
 *       {@code upstream_cluster} {@code direction|port|subset|host}: the first DNS label of the host
 *       ({@code outbound|9080||reviews.default.svc.cluster.local} gives {@code reviews}). A cluster without a host
 *       (Istio's inbound {@code inbound|9080||}) or not in that form (plain Envoy names, {@code PassthroughCluster})
 *       gives nothing: such cluster names are not services. Hostnames ({@code host}, nginx {@code server_name}) are
 *       deliberately not service candidates; map them with {@code ingest.json.field.service} if that is what they
 *       mean. None: {@link DeadLetterReason#MISSING_SERVICE}.</li>
 *   <li><b>Status.</b> An integer, as a JSON number or a string; an integral float ({@code 503.0}) is accepted.
 *       None, or none numeric: {@link DeadLetterReason#MISSING_STATUS}. The first numeric candidate is
 *       authoritative: outside 100-599 (Envoy writes 0 when no response was sent) is
 *       {@link DeadLetterReason#STATUS_OUT_OF_RANGE}.</li>
 *   <li><b>Route.</b> Kept raw as found (query string and all; {@link RouteNormalizer} cleans it). None: {@code "/"},
 *       the same thing {@link RouteNormalizer} makes of an empty path, so service-level SLOs still count the
 *       request.</li>
 *   <li><b>Method.</b> Upper-cased; {@code null} when absent.</li>
 *   <li><b>Duration.</b> Optional, converted to milliseconds from the candidate's unit; an unreadable or negative
 *       value is skipped, never a dead letter. None: {@code NaN}.</li>
 *   <li><b>Dimensions.</b> Strings (and numbers, as text) at the configured dimension paths, keyed by the path.</li>
 *   <li><b>Not an object</b> (an array, a scalar, binary such as Avro framing, malformed or truncated JSON, or
 *       content after the object): {@link DeadLetterReason#UNDECODABLE}. Zero bytes:
 *       {@link DeadLetterReason#EMPTY}.</li>
 *   <li><b>OpenTelemetry.</b> One OTLP log record per Kafka record, with attributes either as an object or as the
 *       OTLP/JSON key/value array, its resource attributes under {@code resource.attributes}, and
 *       {@code timeUnixNano}. Whole export batches are {@link OtlpDecoder}'s, which feeds each entry through
 *       {@link Fields}.</li>
 *   <li><b>The request inside a string field.</b> A record with no status whose top-level {@code log} or
 *       {@code message} is a string holding JSON (the Kubernetes container-log wrapper) or an access-log line
 *       ({@link AccessLine}: what Filebeat and plain tailers ship) is read from that content: its fields win over the
 *       wrapper's (so the request's own time beats a shipper's read time) and the wrapper supplies the rest (the
 *       service from Filebeat's {@code fields} or Kubernetes metadata). A record with a status never reads it.</li>
 * </ul>
 *
 * <p>Implementation: one pass of Jackson's streaming parser; subtrees that cannot hold a candidate path are skipped
 * without being materialized, and only the values of candidate paths are read as text. Stateless after
 * construction, so one instance can be shared by all stream threads.
 */
public final class JsonAccessLogParser {

    /** Route used when a record has none. */
    public static final String MISSING_ROUTE = "/";

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private static final int TS = Field.TIMESTAMP.ordinal();
    private static final int SERVICE = Field.SERVICE.ordinal();
    private static final int ROUTE = Field.ROUTE.ordinal();
    private static final int METHOD = Field.METHOD.ordinal();
    private static final int STATUS = Field.STATUS.ordinal();
    private static final int DURATION = Field.DURATION.ordinal();

    static {
        // convert() switches on these ordinals as literals
        if (TS != 0 || SERVICE != 1 || ROUTE != 2 || METHOD != 3 || STATUS != 4 || DURATION != 5) {
            throw new AssertionError("FieldMappings.Field order changed");
        }
    }

    private static final int MAX_MESSAGE_VALUE = 60;

    private final FieldMappings mappings;
    private final FieldMappings.Compiled compiled;

    public JsonAccessLogParser() {
        this(FieldMappings.defaults());
    }

    public JsonAccessLogParser(FieldMappings mappings) {
        this.mappings = mappings;
        this.compiled = mappings.compiled();
    }

    public FieldMappings mappings() {
        return mappings;
    }

    /**
     * @param value             the record value: UTF-8 JSON
     * @param recordTimestampMs the Kafka record's timestamp, used when the record has no timestamp field
     * @throws InvalidRecordException with the reason and a short operator-readable message
     */
    public AccessEvent parse(byte[] value, long recordTimestampMs) throws InvalidRecordException {
        if (value == null || value.length == 0) {
            throw new InvalidRecordException(DeadLetterReason.EMPTY, "empty value");
        }
        State st = new State(compiled.slotCount);
        try (JsonParser p = JSON.createParser(value)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new InvalidRecordException(DeadLetterReason.UNDECODABLE, "not a JSON object: " + describeStart(value));
            }
            readObject(p, null, st);
            if (p.nextToken() != null) {
                throw new InvalidRecordException(DeadLetterReason.UNDECODABLE,
                        "not a single JSON object: content after the closing brace at offset "
                                + p.currentLocation().getByteOffset());
            }
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at offset " + e.getLocation().getByteOffset();
            String first = describeStart(value);
            String msg = first.startsWith("starts with '{'")
                    ? "malformed JSON" + where + ": " + jacksonMessage(e)
                    : "not a JSON object: " + first;
            throw new InvalidRecordException(DeadLetterReason.UNDECODABLE, msg);
        } catch (IOException e) { // not expected from a byte[] source
            throw new InvalidRecordException(DeadLetterReason.UNDECODABLE, "unreadable: " + e.getMessage());
        }
        return build(st, recordTimestampMs);
    }

    // ---- reading ----

    /** Per-record state: for each slot the winning candidate, and the best unusable one (for error messages). */
    private static final class State {
        final Object[] values;
        final int[] ranks;
        final Slot[] winners;
        Slot badStatus, badTimestamp;
        Object badStatusValue, badTimestampValue;
        /** a string in {@code log} / {@code message} (or an OTLP body): read only when the record has no status */
        String embedded;
        String embeddedPath;
        /** why the embedded text gave nothing, for the missing-status message */
        String embeddedNote;

        State(int n) {
            values = new Object[n];
            ranks = new int[n];
            winners = new Slot[n];
        }
    }

    /** Current token is START_OBJECT. */
    private void readObject(JsonParser p, String prefix, State st) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            String path = prefix == null ? name : prefix + '.' + name;
            JsonToken v = p.nextToken();
            if (v == JsonToken.START_OBJECT) {
                if (compiled.isPrefix(path)) readObject(p, path, st);
                else p.skipChildren();
            } else if (v == JsonToken.START_ARRAY) {
                if (compiled.isPrefix(path)) readKeyValueArray(p, path, st);
                else p.skipChildren();
            } else {
                Slot[] slots = compiled.slots(path);
                if (slots != null) {
                    Object raw = scalar(p, v);
                    if (raw != null) capture(slots, raw, st);
                } else if (prefix == null && v == JsonToken.VALUE_STRING && st.embedded == null && isEmbeddedKey(name)) {
                    st.embedded = p.getText();
                    st.embeddedPath = name;
                }
            }
        }
        if (t != JsonToken.END_OBJECT) throw new IOException("unexpected token " + t);
    }

    /** OTLP/JSON attributes: {@code [{"key":"k","value":{"stringValue":"v"}}, ...]}; current token START_ARRAY.
     * Elements of any other shape are skipped. */
    private void readKeyValueArray(JsonParser p, String prefix, State st) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) throw new IOException("unexpected end of input");
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            String key = null;
            Object val = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken vt = p.nextToken();
                if ("key".equals(f) && vt == JsonToken.VALUE_STRING) {
                    key = p.getText();
                } else if ("value".equals(f) && vt == JsonToken.START_OBJECT) {
                    val = readAnyValue(p);
                } else if ("value".equals(f)) {
                    val = scalar(p, vt);
                    p.skipChildren();
                } else {
                    p.skipChildren();
                }
            }
            if (key != null && val != null) {
                Slot[] slots = compiled.slots(prefix + '.' + key);
                if (slots != null) capture(slots, val, st);
            }
        }
    }

    /** OTLP AnyValue {@code {"stringValue":"x"}} / intValue / doubleValue: the scalar, or null. */
    private static Object readAnyValue(JsonParser p) throws IOException {
        Object val = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            JsonToken vt = p.nextToken();
            Object s = scalar(p, vt);
            if (s != null) val = s;
            else p.skipChildren();
        }
        return val;
    }

    /** String, Long or Double for a scalar token (big integers as their text); null for anything else. */
    private static Object scalar(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                JsonParser.NumberType nt = p.getNumberType();
                return nt == JsonParser.NumberType.BIG_INTEGER ? p.getText() : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            default:
                return null;
        }
    }

    private static boolean absent(Object raw) {
        if (raw instanceof String s) {
            return s.isBlank() || s.equals("-");
        }
        return false;
    }

    private void capture(Slot[] slots, Object raw, State st) {
        if (absent(raw)) return;
        for (Slot s : slots) {
            int f = s.field;
            if (st.winners[f] != null && st.ranks[f] <= s.rank) continue;
            Object v = convert(s, raw, st);
            if (v != null) {
                st.winners[f] = s;
                st.ranks[f] = s.rank;
                st.values[f] = v;
            }
        }
    }

    /** The usable value for the slot, or null (and remembers unusable status/timestamp values). */
    private static Object convert(Slot s, Object raw, State st) {
        switch (s.field) {
            case 0: { // TIMESTAMP
                long ms = toEpochMillis(raw);
                if (ms == NO_TIME) return null;
                if (ms == BAD_TIME) {
                    if (st.badTimestamp == null || s.rank < st.badTimestamp.rank) {
                        st.badTimestamp = s;
                        st.badTimestampValue = raw;
                    }
                    return null;
                }
                return ms;
            }
            case 1: { // SERVICE
                String text = text(raw);
                return s.derive == Slot.Derive.ENVOY_CLUSTER ? serviceFromEnvoyCluster(text) : text;
            }
            case 4: { // STATUS
                Integer code = toStatus(raw);
                if (code == null && (st.badStatus == null || s.rank < st.badStatus.rank)) {
                    st.badStatus = s;
                    st.badStatusValue = raw;
                }
                return code;
            }
            case 5: { // DURATION
                double d = toDouble(raw);
                return d >= 0 && d < Double.POSITIVE_INFINITY ? s.unit.toMillis(d) : null;
            }
            case 2: { // ROUTE: raw
                String str = raw instanceof String r ? r : raw.toString();
                return s.derive == Slot.Derive.REQUEST_LINE ? AccessLine.requestTarget(str.strip()) : str;
            }
            case 3: // METHOD
                return s.derive == Slot.Derive.REQUEST_LINE ? AccessLine.requestMethod(text(raw)) : text(raw);
            default: // dimensions
                return text(raw);
        }
    }

    private static String text(Object raw) {
        return raw instanceof String s ? s.strip() : raw.toString();
    }

    // ---- the request inside a string field ----

    /** Top-level string fields that may hold the whole request: a JSON document or an access-log line. */
    private static boolean isEmbeddedKey(String name) {
        return name.equals("log") || name.equals("message");
    }

    /**
     * A record without a status whose {@code log} / {@code message} (or OTLP body) holds the request itself: the
     * Kubernetes container-log wrapper around the application's JSON, or the access-log line as Filebeat and plain
     * tailers ship it. What the content has wins over the wrapper (the request's own time beats the time a shipper
     * read the line); the wrapper still supplies what the content lacks (the service, from Kubernetes metadata or
     * Filebeat's {@code fields}). Records with a status never get here, so plain JSON pays nothing for this.
     */
    private void resolveEmbedded(State st) {
        String text = st.embedded;
        if (text == null || st.values[STATUS] != null) return;
        st.embedded = null;
        String where = st.embeddedPath;
        int cri = criContentStart(text);
        if (cri > 0) text = text.substring(cri);
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) i++;
        if (i < text.length() && text.charAt(i) == '{') {
            State inner = new State(compiled.slotCount);
            try (JsonParser p = JSON.createParser(text)) {
                p.nextToken();
                readObject(p, null, inner);
            } catch (IOException e) {
                st.embeddedNote = "'" + where + "' holds malformed JSON";
                return;
            }
            resolveEmbedded(inner);
            for (int f = 0; f < inner.values.length; f++) {
                if (inner.values[f] != null) {
                    st.values[f] = inner.values[f];
                    st.winners[f] = inner.winners[f];
                }
            }
            if (st.badStatus == null) {
                st.badStatus = inner.badStatus;
                st.badStatusValue = inner.badStatusValue;
            }
            if (st.badTimestamp == null) {
                st.badTimestamp = inner.badTimestamp;
                st.badTimestampValue = inner.badTimestampValue;
            }
            if (inner.values[STATUS] == null) st.embeddedNote = "nor in the JSON in '" + where + "'";
            return;
        }
        AccessLine line = AccessLine.parse(text);
        if (line == null) {
            st.embeddedNote = "'" + where + "' is neither JSON nor an access-log line";
            return;
        }
        set(st, TS, where, line.timeMs());
        set(st, STATUS, where, line.status());
        if (line.target() != null) set(st, ROUTE, where, line.target());
        if (line.method() != null) set(st, METHOD, where, line.method());
    }

    /**
     * Where the content starts after a CRI container-log prefix ({@code 2024-11-21T14:40:00.123456789Z stdout F }),
     * which a file shipper without a CRI parser leaves on each line of {@code /var/log/containers/*.log}; 0 without one.
     */
    static int criContentStart(String text) {
        int sp = text.indexOf(' ');
        if (sp < 20 || sp > 40 || !text.startsWith("stdout ", sp + 1) && !text.startsWith("stderr ", sp + 1)) return 0;
        int tag = sp + 8;
        int end = text.indexOf(' ', tag);
        if (end < 0 || end == tag || parseIso(text.substring(0, sp)) == BAD_TIME) return 0;
        return end + 1;
    }

    private static void set(State st, int field, String path, Object value) {
        st.values[field] = value;
        st.winners[field] = new Slot(field, -1, path, null, Slot.Derive.NONE);
    }

    /**
     * One event assembled from (path, value) pairs instead of JSON bytes, with the same candidates, precedence and
     * checks: how {@link OtlpDecoder} turns an OTLP log record or span into an event. Paths are full paths, e.g.
     * {@code resource.attributes.service.name}.
     */
    final class Fields {
        private final State st = new State(compiled.slotCount);

        /** @param raw a String, Long or Double */
        void put(String path, Object raw) {
            Slot[] slots = compiled.slots(path);
            if (slots != null) capture(slots, raw, st);
        }

        /** Text that may hold the request itself (an OTLP log body), read when nothing else has a status. */
        void embedded(String path, String text) {
            if (st.embedded == null) {
                st.embedded = text;
                st.embeddedPath = path;
            }
        }

        /** Whether there is a status at all, usable or not (also in the embedded text): whether it is an HTTP request. */
        boolean hasStatus() {
            resolveEmbedded(st);
            return st.values[STATUS] != null || st.badStatus != null;
        }

        AccessEvent build(long recordTimestampMs) throws InvalidRecordException {
            return JsonAccessLogParser.this.build(st, recordTimestampMs);
        }
    }

    Fields fields() {
        return new Fields();
    }

    // ---- building ----

    private AccessEvent build(State st, long recordTimestampMs) throws InvalidRecordException {
        resolveEmbedded(st);
        Object[] v = st.values;
        if (v[SERVICE] == null) {
            throw new InvalidRecordException(DeadLetterReason.MISSING_SERVICE,
                    "no service (looked for " + compiled.describe[SERVICE] + ")");
        }
        if (v[STATUS] == null) {
            if (st.badStatus != null) {
                throw new InvalidRecordException(DeadLetterReason.MISSING_STATUS, "status " + quote(st.badStatusValue)
                        + " in '" + st.badStatus.path + "' is not an integer");
            }
            throw new InvalidRecordException(DeadLetterReason.MISSING_STATUS,
                    "no status (looked for " + compiled.describe[STATUS]
                            + (st.embeddedNote == null ? ")" : "; " + st.embeddedNote + ")"));
        }
        int status = (Integer) v[STATUS];
        if (status < 100 || status > 599) {
            throw new InvalidRecordException(DeadLetterReason.STATUS_OUT_OF_RANGE,
                    "status " + status + " in '" + st.winners[STATUS].path + "' is outside 100-599");
        }
        long ts;
        if (v[TS] != null) {
            ts = (Long) v[TS];
        } else if (st.badTimestamp != null) {
            throw new InvalidRecordException(DeadLetterReason.INVALID_TIMESTAMP, "timestamp "
                    + quote(st.badTimestampValue) + " in '" + st.badTimestamp.path
                    + "' is neither ISO-8601 nor epoch seconds/millis");
        } else {
            ts = recordTimestampMs;
        }
        String route = v[ROUTE] == null ? MISSING_ROUTE : (String) v[ROUTE];
        String method = v[METHOD] == null ? null : ((String) v[METHOD]).toUpperCase(Locale.ROOT);
        double duration = v[DURATION] == null ? Double.NaN : (Double) v[DURATION];
        Map<String, String> dims = Map.of();
        String[] names = compiled.dimensionNames;
        for (int d = 0; d < names.length; d++) {
            Object dv = v[Slot.DIMENSION_BASE + d];
            if (dv != null) {
                if (dims.isEmpty()) dims = new HashMap<>(4);
                dims.put(names[d], (String) dv);
            }
        }
        return new AccessEvent(ts, (String) v[SERVICE], route, method, status, duration, dims);
    }

    // ---- field conversions ----

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

    private static Integer toStatus(Object raw) {
        if (raw instanceof Long l) {
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, l));
        }
        if (raw instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e9 ? (int) (double) d : null;
        }
        String s = ((String) raw).strip();
        int i = 0, n = s.length();
        boolean neg = false;
        if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            neg = s.charAt(0) == '-';
            i = 1;
        }
        if (i == n) return null;
        long val = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return null;
            if (val < 1_000_000_000L) val = val * 10 + (c - '0');
        }
        return (int) (neg ? -val : val);
    }

    private static double toDouble(Object raw) {
        if (raw instanceof Long l) return l;
        if (raw instanceof Double d) return d;
        try {
            return Double.parseDouble((String) raw);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    static final long NO_TIME = Long.MIN_VALUE;
    static final long BAD_TIME = Long.MIN_VALUE + 1;

    /** Epoch millis, {@link #NO_TIME} for zero (unset), {@link #BAD_TIME} when unreadable. */
    static long toEpochMillis(Object raw) {
        if (raw instanceof Long l) return fromEpochNumber(l);
        if (raw instanceof Double d) return fromEpochNumber(d);
        String s = ((String) raw).strip();
        if (isNumeric(s)) {
            if (s.indexOf('.') < 0 && s.length() <= 19) {
                try {
                    return fromEpochNumber(Long.parseLong(s));
                } catch (NumberFormatException e) {
                    // beyond Long.MAX_VALUE: falls to the double, which rejects it
                }
            }
            return fromEpochNumber(Double.parseDouble(s));
        }
        long ms = parseIso(s);
        return ms != BAD_TIME ? ms : parseNginxLocal(s);
    }

    private static boolean isNumeric(String s) {
        if (s.isEmpty()) return false;
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') dots++;
            else if (c < '0' || c > '9') return false;
        }
        return dots <= 1 && s.length() > dots;
    }

    private static long fromEpochNumber(long v) {
        if (v == 0) return NO_TIME;
        if (v < 0) return BAD_TIME;
        if (v < 100_000_000_000L) return v * 1000;               // seconds
        if (v < 100_000_000_000_000L) return v;                  // millis
        if (v < 100_000_000_000_000_000L) return v / 1000;       // micros
        return v / 1_000_000;                                    // nanos
    }

    private static long fromEpochNumber(double v) {
        if (v == 0) return NO_TIME;
        if (!(v > 0) || v >= 9.2e18) return BAD_TIME;           // negative, NaN, beyond long nanos
        if (v < 1e11) return Math.round(v * 1000);
        if (v < 1e14) return Math.round(v);
        if (v < 1e17) return (long) (v / 1e3);
        return (long) (v / 1e6);
    }

    /** {@code yyyy-MM-dd[T ]HH:mm[:ss[.fff...]][Z|±hh[:]mm|±hh]}, epoch millis or {@link #BAD_TIME}. */
    static long parseIso(String s) {
        int n = s.length();
        if (n < 16) return BAD_TIME;
        int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
        if (year < 0 || month < 0 || day < 0 || s.charAt(4) != '-' || s.charAt(7) != '-') return BAD_TIME;
        char sep = s.charAt(10);
        if (sep != 'T' && sep != 't' && sep != ' ') return BAD_TIME;
        int hour = digits(s, 11, 2), minute = digits(s, 14, 2);
        if (hour < 0 || minute < 0 || s.charAt(13) != ':') return BAD_TIME;
        int i = 16, second = 0, millis = 0;
        if (i < n && s.charAt(i) == ':') {
            second = digits(s, i + 1, 2);
            if (second < 0) return BAD_TIME;
            i += 3;
            if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
                i++;
                int start = i;
                while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    if (i - start < 3) millis = millis * 10 + (s.charAt(i) - '0');
                    i++;
                }
                if (i == start) return BAD_TIME;
                for (int k = i - start; k < 3; k++) millis *= 10;
            }
        }
        int offsetSeconds = 0;
        if (i < n) {
            char z = s.charAt(i);
            if ((z == 'Z' || z == 'z') && i == n - 1) {
                offsetSeconds = 0;
            } else if (z == '+' || z == '-') {
                int oh = digits(s, i + 1, 2), om = 0;
                int rest = n - (i + 3);
                if (oh < 0) return BAD_TIME;
                if (rest == 3 && s.charAt(i + 3) == ':') om = digits(s, i + 4, 2);
                else if (rest == 2) om = digits(s, i + 3, 2);
                else if (rest != 0) return BAD_TIME;
                if (om < 0 || oh > 18 || om > 59) return BAD_TIME;
                offsetSeconds = (oh * 3600 + om * 60) * (z == '-' ? -1 : 1);
            } else {
                return BAD_TIME;
            }
        }
        if (hour > 23 || minute > 59 || second > 59) return BAD_TIME;
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return BAD_TIME;
        }
        long secs = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return secs * 1000 + millis;
    }

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    /** nginx {@code $time_local}: {@code dd/MMM/yyyy:HH:mm:ss ±hhmm}. */
    static long parseNginxLocal(String s) {
        if (s.length() != 26 || s.charAt(2) != '/' || s.charAt(6) != '/' || s.charAt(11) != ':'
                || s.charAt(14) != ':' || s.charAt(17) != ':' || s.charAt(20) != ' ') return BAD_TIME;
        int m = MONTHS.indexOf(s.substring(3, 6));
        if (m < 0 || m % 3 != 0) return BAD_TIME;
        int day = digits(s, 0, 2), year = digits(s, 7, 4), hour = digits(s, 12, 2), minute = digits(s, 15, 2),
                second = digits(s, 18, 2), oh = digits(s, 22, 2), om = digits(s, 24, 2);
        char sign = s.charAt(21);
        if (day < 0 || year < 0 || hour < 0 || minute < 0 || second < 0 || oh < 0 || om < 0
                || (sign != '+' && sign != '-') || hour > 23 || minute > 59 || second > 59 || om > 59) return BAD_TIME;
        long epochDay;
        try {
            epochDay = LocalDate.of(year, m / 3 + 1, day).toEpochDay();
        } catch (DateTimeException e) {
            return BAD_TIME;
        }
        int offsetSeconds = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
        return (epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds) * 1000;
    }

    /** Non-negative value of {@code len} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int len) {
        if (from + len > s.length()) return -1;
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    // ---- messages ----

    /** Jackson's message without its source/marker location noise. */
    private static String jacksonMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) return "unreadable";
        int cut = m.indexOf(" (start marker");
        if (cut > 0) m = m.substring(0, cut);
        cut = m.indexOf('\n');
        if (cut > 0) m = m.substring(0, cut);
        return truncate(m, 120);
    }

    private static String quote(Object raw) {
        return raw instanceof String s ? "'" + truncate(s, MAX_MESSAGE_VALUE) + "'" : String.valueOf(raw);
    }

    private static String truncate(String s, int max) {
        if (s == null) return "";
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    /** "starts with '['", "starts with byte 0x00", "blank" for the first non-whitespace byte (after a BOM). */
    static String describeStart(byte[] value) {
        int i = 0;
        if (value.length >= 3 && (value[0] & 0xFF) == 0xEF && (value[1] & 0xFF) == 0xBB && (value[2] & 0xFF) == 0xBF) i = 3;
        while (i < value.length && (value[i] == ' ' || value[i] == '\t' || value[i] == '\n' || value[i] == '\r')) i++;
        if (i == value.length) return "blank (" + value.length + " whitespace bytes)";
        int b = value[i] & 0xFF;
        return b >= 0x21 && b < 0x7F ? "starts with '" + (char) b + "'" : String.format("starts with byte 0x%02x", b);
    }
}
