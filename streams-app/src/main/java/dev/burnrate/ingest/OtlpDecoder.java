package dev.burnrate.ingest;

import dev.burnrate.core.SkipReason;
import dev.burnrate.core.DeadLetterReason;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes what the OpenTelemetry Collector's {@code kafka} exporter writes for logs and traces: one batch per Kafka
 * record, {@code otlp_proto} (its default: a {@code LogsData} / {@code TracesData} message, which is wire-identical to
 * the OTLP export request) or {@code otlp_json} (the same, in OTLP/JSON: camelCase keys, 64-bit integers as strings,
 * hex trace ids). Parsed with the official {@code opentelemetry-proto} classes and protobuf's {@link JsonFormat}.
 *
 * <p>Each log record and each span becomes one event through the JSON parser's {@link JsonAccessLogParser.Fields}, so
 * the field candidates and rules are the JSON ones: resource attributes under {@code resource.attributes.*} (the
 * service from {@code service.name}, else Kubernetes metadata such as {@code k8s.deployment.name}), the entry's
 * attributes under {@code attributes.*} (OpenTelemetry semantic conventions, current and older names), the log record's
 * {@code timeUnixNano} before its {@code observedTimeUnixNano}, and a span's end time and duration. A log record's
 * body, when a string, may hold the request itself (an access-log line or JSON, as the filelog receiver ships it); when
 * a map, its entries count as top-level fields.
 *
 * <p>What is not an HTTP request served is skipped and counted ({@link SkipReason}): spans other than SERVER spans,
 * and entries without any status code. A batch that cannot be parsed is one dead letter; a batch with bad entries (a
 * status out of range, no service) gives its good entries and is then dead-lettered once, saying how many were bad.
 */
public final class OtlpDecoder {
    private static final JsonFormat.Parser JSON_FORMAT = JsonFormat.parser().ignoringUnknownFields();
    private static final byte[] RESOURCE_SPANS = "\"resourceSpans\"".getBytes(StandardCharsets.US_ASCII);

    private final JsonAccessLogParser parser;

    public OtlpDecoder(JsonAccessLogParser parser) {
        this.parser = parser;
    }

    /** Decodes an {@code otlp_proto} batch. */
    public void decodeProto(byte[] value, long recordTimestampMs, EventDecoder.Sink sink) throws InvalidRecordException {
        decode(value, false, recordTimestampMs, sink);
    }

    /** Decodes an {@code otlp_json} batch. */
    public void decodeJson(byte[] value, long recordTimestampMs, EventDecoder.Sink sink) throws InvalidRecordException {
        decode(value, true, recordTimestampMs, sink);
    }

    private void decode(byte[] value, boolean json, long recordTimestampMs, EventDecoder.Sink sink) throws InvalidRecordException {
        Message.Builder batch;
        try {
            // otlp_json: the first key names the signal; otlp_proto: the first entry's fields do
            batch = (json ? firstKeyIsSpans(value) : protoHoldsSpans(value)) ? TracesData.newBuilder() : LogsData.newBuilder();
            if (json) JSON_FORMAT.merge(withoutBom(new String(value, StandardCharsets.UTF_8)), batch);
            else batch.mergeFrom(value);
        } catch (IOException | IllegalArgumentException e) { // JsonFormat throws the latter on some bad input
            throw undecodable(json, e);
        }
        Problems problems;
        if (batch instanceof TracesData.Builder t) {
            problems = new Problems("span");
            spans(t.build(), recordTimestampMs, sink, problems);
        } else {
            problems = new Problems("log record");
            logs(((LogsData.Builder) batch).build(), recordTimestampMs, sink, problems);
        }
        problems.check();
    }

    private void logs(LogsData data, long recordTimestampMs, EventDecoder.Sink sink, Problems problems) {
        for (ResourceLogs rl : data.getResourceLogsList()) {
            Attributes resource = new Attributes("resource.attributes.", rl.getResource().getAttributesList());
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                for (LogRecord r : sl.getLogRecordsList()) {
                    problems.total++;
                    JsonAccessLogParser.Fields f = parser.fields();
                    resource.putInto(f);
                    putAll(f, "attributes.", r.getAttributesList());
                    if (r.getTimeUnixNano() != 0) f.put("timeUnixNano", r.getTimeUnixNano());
                    if (r.getObservedTimeUnixNano() != 0) f.put("observedTimeUnixNano", r.getObservedTimeUnixNano());
                    AnyValue body = r.getBody();
                    if (body.hasStringValue()) f.embedded("body", body.getStringValue());
                    else if (body.hasKvlistValue()) putAll(f, "", body.getKvlistValue().getValuesList());
                    entry(f, recordTimestampMs, sink, problems);
                }
            }
        }
    }

    private void spans(TracesData data, long recordTimestampMs, EventDecoder.Sink sink, Problems problems) {
        for (ResourceSpans rs : data.getResourceSpansList()) {
            Attributes resource = new Attributes("resource.attributes.", rs.getResource().getAttributesList());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    problems.total++;
                    if (s.getKind() != Span.SpanKind.SPAN_KIND_SERVER) {
                        sink.skipped(SkipReason.NOT_SERVER_SPAN);
                        continue;
                    }
                    JsonAccessLogParser.Fields f = parser.fields();
                    resource.putInto(f);
                    putAll(f, "attributes.", s.getAttributesList());
                    long start = s.getStartTimeUnixNano(), end = s.getEndTimeUnixNano();
                    // the response's time, as an access log's: the span's end
                    if (end != 0) f.put("timeUnixNano", end);
                    if (start != 0 && end >= start) f.put("duration_ms", (end - start) / 1e6);
                    entry(f, recordTimestampMs, sink, problems);
                }
            }
        }
    }

    private static void entry(JsonAccessLogParser.Fields f, long recordTimestampMs, EventDecoder.Sink sink, Problems problems) {
        if (!f.hasStatus()) {
            sink.skipped(SkipReason.NOT_HTTP);
            return;
        }
        try {
            sink.event(f.build(recordTimestampMs));
        } catch (InvalidRecordException e) {
            problems.add(e);
        }
    }

    /** A resource's attributes as full paths and values, computed once for all its entries. */
    private static final class Attributes {
        final List<String> paths = new ArrayList<>();
        final List<Object> values = new ArrayList<>();

        Attributes(String prefix, List<KeyValue> kvs) {
            flatten(prefix, kvs, paths, values);
        }

        void putInto(JsonAccessLogParser.Fields f) {
            for (int i = 0; i < paths.size(); i++) f.put(paths.get(i), values.get(i));
        }
    }

    private static void putAll(JsonAccessLogParser.Fields f, String prefix, List<KeyValue> kvs) {
        if (kvs.isEmpty()) return;
        List<String> paths = new ArrayList<>(kvs.size());
        List<Object> values = new ArrayList<>(kvs.size());
        flatten(prefix, kvs, paths, values);
        for (int i = 0; i < paths.size(); i++) f.put(paths.get(i), values.get(i));
    }

    /** Scalars as String, Long or Double under prefix + key; nested maps under prefix + key + '.'. */
    private static void flatten(String prefix, List<KeyValue> kvs, List<String> paths, List<Object> values) {
        for (KeyValue kv : kvs) {
            AnyValue v = kv.getValue();
            Object raw = switch (v.getValueCase()) {
                case STRING_VALUE -> v.getStringValue();
                case INT_VALUE -> v.getIntValue();
                case DOUBLE_VALUE -> v.getDoubleValue();
                default -> null;
            };
            if (raw != null) {
                paths.add(prefix + kv.getKey());
                values.add(raw);
            } else if (v.hasKvlistValue()) {
                flatten(prefix + kv.getKey() + ".", v.getKvlistValue().getValuesList(), paths, values);
            }
        }
    }

    /** Bad entries of a batch: the batch is dead-lettered once, after its good entries were given. */
    private static final class Problems {
        final String entryName;
        int total;
        int bad;
        InvalidRecordException first;
        int firstIndex;

        Problems(String entryName) {
            this.entryName = entryName;
        }

        void add(InvalidRecordException e) {
            if (bad++ == 0) {
                first = e;
                firstIndex = total;
            }
        }

        void check() throws InvalidRecordException {
            if (total == 0) {
                throw new InvalidRecordException(DeadLetterReason.UNDECODABLE, "an OTLP batch with no " + entryName + "s");
            }
            if (bad == 0) return;
            throw new InvalidRecordException(first.reason(), "OTLP batch: " + bad + " of " + total + " " + entryName
                    + "s invalid (the first, #" + firstIndex + ": " + first.getMessage() + ")"
                    + (bad < total ? "; the others were counted or skipped" : ""));
        }
    }

    private static InvalidRecordException undecodable(boolean json, Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        if (nl > 0) m = m.substring(0, nl);
        if (m.length() > 160) m = m.substring(0, 160) + "...";
        return new InvalidRecordException(DeadLetterReason.UNDECODABLE,
                (json ? "malformed OTLP/JSON batch: " : "not an OTLP protobuf log or trace batch: ") + m);
    }

    // ---- which signal: logs or traces ----

    /** Whether the JSON batch's first key is "resourceSpans" (else it is taken for "resourceLogs"). */
    private static boolean firstKeyIsSpans(byte[] v) {
        int quote = 0;
        while (quote < v.length && v[quote] != '"') quote++;
        if (quote + RESOURCE_SPANS.length > v.length) return false;
        for (int k = 0; k < RESOURCE_SPANS.length; k++) {
            if (v[quote + k] != RESOURCE_SPANS[k]) return false;
        }
        return true;
    }

    /**
     * Whether a protobuf batch holds spans (TracesData) rather than log records (LogsData). Both start with field 1,
     * so this looks at the first entry: a span has its times in fixed64 fields 7 and 8, a log record in 1 and 11. An
     * entry with neither (a metrics batch, say) is no log or trace batch.
     */
    static boolean protoHoldsSpans(byte[] v) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(v);
        Boolean spans = null;
        while (spans == null && !in.isAtEnd()) {
            int tag = in.readTag();
            if (tag == 0) break;
            if (tag != lengthDelimited(1)) {
                throw new InvalidProtocolBufferException("field " + (tag >>> 3) + " at the top level");
            }
            spans = withinLength(in, () -> firstEntryKind(in, 2, 2));
        }
        if (spans == null) throw new InvalidProtocolBufferException("no log record or span in it");
        return spans;
    }

    private interface Reader {
        Boolean read() throws IOException;
    }

    private static Boolean withinLength(CodedInputStream in, Reader r) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        Boolean result = r.read();
        in.skipRawBytes(in.getBytesUntilLimit());
        in.popLimit(limit);
        return result;
    }

    /** Descends into field {@code field} (scopes, then entries) for {@code depth} levels, then classifies the entry. */
    private static Boolean firstEntryKind(CodedInputStream in, int field, int depth) throws IOException {
        Boolean found = null;
        while (found == null && !in.isAtEnd()) {
            int tag = in.readTag();
            if (tag == 0) break;
            if (depth > 0 && tag == lengthDelimited(field)) {
                found = withinLength(in, () -> depth == 1 ? classify(in) : firstEntryKind(in, 2, depth - 1));
            } else {
                in.skipField(tag);
            }
        }
        return found;
    }

    private static Boolean classify(CodedInputStream in) throws IOException {
        Boolean kind = null;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (tag == 0) break;
            int field = tag >>> 3;
            if ((tag & 7) == WireFormat.WIRETYPE_FIXED64) {
                if (field == 7 || field == 8) kind = Boolean.TRUE;
                else if (field == 1 || field == 11) kind = Boolean.FALSE;
            }
            in.skipField(tag);
            if (kind != null) break;
        }
        if (kind == null) throw new InvalidProtocolBufferException("its first entry is neither a log record nor a span");
        return kind;
    }

    private static String withoutBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static int lengthDelimited(int field) {
        return field << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

}
