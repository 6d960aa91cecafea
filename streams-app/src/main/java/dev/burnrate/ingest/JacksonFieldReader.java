package dev.burnrate.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.burnrate.core.DeadLetterReason;
import dev.burnrate.ingest.FieldMappings.Slot;
import java.io.IOException;

/**
 * What {@link JsonScanner} leaves to Jackson's streaming parser: escapes, non-ASCII text, OTLP key/value arrays, and
 * every malformed record (Jackson says where and why). Like the scanner, it reads only the values of candidate
 * paths into a {@link RecordFields} and skips subtrees that cannot hold one.
 */
final class JacksonFieldReader {
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private final FieldMappings.Compiled compiled;

    JacksonFieldReader(FieldMappings.Compiled compiled) {
        this.compiled = compiled;
    }

    /** Reads one record's candidate values into st; anything but one JSON object is UNDECODABLE, saying where and why. */
    void read(byte[] value, RecordFields st) throws InvalidRecordException {
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
    }

    /** Reads the JSON object in text (the request inside a {@code log} or {@code message} string). */
    void readObject(String text, RecordFields st) throws IOException {
        try (JsonParser p = JSON.createParser(text)) {
            p.nextToken();
            readObject(p, null, st);
        }
    }

    /** Current token is START_OBJECT. */
    private void readObject(JsonParser p, String prefix, RecordFields st) throws IOException {
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
                    if (raw != null) st.capture(slots, raw);
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
    private void readKeyValueArray(JsonParser p, String prefix, RecordFields st) throws IOException {
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
                if (slots != null) st.capture(slots, val);
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

    /** Top-level string fields that may hold the whole request: a JSON document or an access-log line. */
    private static boolean isEmbeddedKey(String name) {
        return name.equals("log") || name.equals("message");
    }

    /** Jackson's message without its source/marker location noise. */
    private static String jacksonMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) return "unreadable";
        int cut = m.indexOf(" (start marker");
        if (cut > 0) m = m.substring(0, cut);
        cut = m.indexOf('\n');
        if (cut > 0) m = m.substring(0, cut);
        return JsonAccessLogParser.truncate(m, 120);
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
