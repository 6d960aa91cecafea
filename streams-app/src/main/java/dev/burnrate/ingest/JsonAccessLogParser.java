package dev.burnrate.ingest;

import dev.burnrate.core.DeadLetterReason;
import dev.burnrate.ingest.FieldMappings.Slot;

import java.io.IOException;
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
 * <p>Implementation: {@link JsonScanner} reads the common case in one pass over the bytes; a record outside its subset
 * is read by {@link JacksonFieldReader} (Jackson's streaming parser), which skips subtrees that cannot hold a candidate path. Either way only the
 * values of candidate paths are read, and {@link RecordFields} applies the rules above to them; timestamps are
 * {@link Timestamps}'. Stateless after construction (its {@link Interner} is a bounded shared cache), so one
 * instance can be shared by all stream threads.
 */
public final class JsonAccessLogParser {

    /** Route used when a record has none. */
    public static final String MISSING_ROUTE = "/";

    private static final int TS = RecordFields.TS;
    private static final int SERVICE = RecordFields.SERVICE;
    private static final int ROUTE = RecordFields.ROUTE;
    private static final int METHOD = RecordFields.METHOD;
    private static final int STATUS = RecordFields.STATUS;
    private static final int DURATION = RecordFields.DURATION;

    private static final int MAX_MESSAGE_VALUE = 60;

    private final FieldMappings mappings;
    private final FieldMappings.Compiled compiled;
    private final JsonScanner scanner;
    private final JacksonFieldReader jackson;
    private final Interner interner = new Interner();
    /** One per thread, cleared per record: nothing of it outlives {@link #parse} (the event holds Strings). */
    private final ThreadLocal<RecordFields> reused = ThreadLocal.withInitial(this::newFields);

    public JsonAccessLogParser() {
        this(FieldMappings.defaults());
    }

    public JsonAccessLogParser(FieldMappings mappings) {
        this.mappings = mappings;
        this.compiled = mappings.compiled();
        this.scanner = new JsonScanner(compiled.pathIndex);
        this.jackson = new JacksonFieldReader(compiled);
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
        RecordFields st = reused.get();
        st.clear();
        if (!scanner.scan(value, st)) {
            st.clear();
            jackson.read(value, st);
        }
        return build(st, recordTimestampMs);
    }

    /** What {@link #parse} gives without the scanner: the reference {@code JsonScannerTest} holds the scanner to. */
    AccessEvent parseWithJackson(byte[] value, long recordTimestampMs) throws InvalidRecordException {
        RecordFields st = newFields();
        jackson.read(value, st);
        return build(st, recordTimestampMs);
    }

    /** Whether the scanner reads this record itself (rather than leaving it to Jackson). */
    boolean scans(byte[] value) {
        return scanner.scan(value, newFields());
    }

    private RecordFields newFields() {
        return new RecordFields(compiled.slotCount, interner);
    }

    // ---- the request inside a string field ----

    /**
     * A record without a status whose {@code log} / {@code message} (or OTLP body) holds the request itself: the
     * Kubernetes container-log wrapper around the application's JSON, or the access-log line as Filebeat and plain
     * tailers ship it. What the content has wins over the wrapper (the request's own time beats the time a shipper
     * read the line); the wrapper still supplies what the content lacks (the service, from Kubernetes metadata or
     * Filebeat's {@code fields}). Records with a status never get here, so plain JSON pays nothing for this.
     */
    private void resolveEmbedded(RecordFields st) {
        String text = st.embedded;
        if (text == null || st.has(STATUS)) return;
        st.embedded = null;
        String where = st.embeddedPath;
        int cri = criContentStart(text);
        if (cri > 0) text = text.substring(cri);
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) i++;
        if (i < text.length() && text.charAt(i) == '{') {
            RecordFields inner = newFields();
            try {
                jackson.readObject(text, inner);
            } catch (IOException e) {
                st.embeddedNote = "'" + where + "' holds malformed JSON";
                return;
            }
            resolveEmbedded(inner);
            st.overrideWith(inner);
            if (!inner.has(STATUS)) st.embeddedNote = "nor in the JSON in '" + where + "'";
            return;
        }
        AccessLine line = AccessLine.parse(text);
        if (line == null) {
            st.embeddedNote = "'" + where + "' is neither JSON nor an access-log line";
            return;
        }
        st.set(TS, where, line.timeMs(), 0, null);
        st.set(STATUS, where, 0, line.status(), null);
        if (line.target() != null) st.set(ROUTE, where, 0, 0, line.target());
        if (line.method() != null) st.set(METHOD, where, 0, 0, line.method());
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
        if (end < 0 || end == tag || Timestamps.parseIso(text, 0, sp) == Timestamps.BAD_TIME) return 0;
        return end + 1;
    }

    /**
     * One event assembled from (path, value) pairs instead of JSON bytes, with the same candidates, precedence and
     * checks: how {@link OtlpDecoder} turns an OTLP log record or span into an event. Paths are full paths, e.g.
     * {@code resource.attributes.service.name}.
     */
    final class Fields {
        private final RecordFields st = newFields();

        /** @param raw a String, Long or Double */
        void put(String path, Object raw) {
            Slot[] slots = compiled.slots(path);
            if (slots != null) st.capture(slots, raw);
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
            return st.has(STATUS) || st.badStatus != null;
        }

        AccessEvent build(long recordTimestampMs) throws InvalidRecordException {
            return JsonAccessLogParser.this.build(st, recordTimestampMs);
        }
    }

    Fields fields() {
        return new Fields();
    }

    // ---- building ----

    private AccessEvent build(RecordFields st, long recordTimestampMs) throws InvalidRecordException {
        resolveEmbedded(st);
        if (!st.has(SERVICE)) {
            throw new InvalidRecordException(DeadLetterReason.MISSING_SERVICE,
                    "no service (looked for " + compiled.describe[SERVICE] + ")");
        }
        if (!st.has(STATUS)) {
            if (st.badStatus != null) {
                throw new InvalidRecordException(DeadLetterReason.MISSING_STATUS, "status " + quote(st.badStatusValue)
                        + " in '" + st.badStatus.path + "' is not an integer");
            }
            throw new InvalidRecordException(DeadLetterReason.MISSING_STATUS,
                    "no status (looked for " + compiled.describe[STATUS]
                            + (st.embeddedNote == null ? ")" : "; " + st.embeddedNote + ")"));
        }
        int status = st.status;
        if (status < 100 || status > 599) {
            throw new InvalidRecordException(DeadLetterReason.STATUS_OUT_OF_RANGE,
                    "status " + status + " in '" + st.winners[STATUS].path + "' is outside 100-599");
        }
        long ts;
        if (st.has(TS)) {
            ts = st.timestampMs;
        } else if (st.badTimestamp != null) {
            throw new InvalidRecordException(DeadLetterReason.INVALID_TIMESTAMP, "timestamp "
                    + quote(st.badTimestampValue) + " in '" + st.badTimestamp.path
                    + "' is neither ISO-8601 nor epoch seconds/millis");
        } else {
            ts = recordTimestampMs;
        }
        String[] v = st.texts;
        String route = v[ROUTE] == null ? MISSING_ROUTE : v[ROUTE];
        String method = v[METHOD] == null ? null : v[METHOD].toUpperCase(Locale.ROOT);
        double duration = st.has(DURATION) ? st.durationMs : Double.NaN;
        Map<String, String> dims = Map.of();
        String[] names = compiled.dimensionNames;
        for (int d = 0; d < names.length; d++) {
            String dv = v[Slot.DIMENSION_BASE + d];
            if (dv != null) {
                if (dims.isEmpty()) dims = new HashMap<>(4);
                dims.put(names[d], dv);
            }
        }
        return new AccessEvent(ts, v[SERVICE], route, method, status, duration, dims);
    }

    // ---- messages ----

    private static String quote(Object raw) {
        return raw instanceof String s ? "'" + truncate(s, MAX_MESSAGE_VALUE) + "'" : String.valueOf(raw);
    }

    static String truncate(String s, int max) {
        if (s == null) return "";
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
