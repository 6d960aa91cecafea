package dev.burnrate.ingest;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter record's headers: the original key, value and headers are kept as they were, and these say why
 * and where it came from, so an operator can fix the shipper and replay from the exact offset.
 */
public final class DeadLetters {
    public static final String REASON = "burnrate.dlq.reason";
    public static final String MESSAGE = "burnrate.dlq.message";
    public static final String SOURCE_TOPIC = "burnrate.dlq.source.topic";
    public static final String SOURCE_PARTITION = "burnrate.dlq.source.partition";
    public static final String SOURCE_OFFSET = "burnrate.dlq.source.offset";
    /** The source record's timestamp (epoch millis): the dead-letter topic stamps records with their append time. */
    public static final String SOURCE_TIMESTAMP = "burnrate.dlq.source.timestamp";

    private DeadLetters() {
    }

    public static Headers headers(Headers original, InvalidRecordException why, String topic, int partition, long offset, long timestamp) {
        Headers h = new RecordHeaders(original.toArray());
        h.add(REASON, utf8(why.reason().tag()));
        h.add(MESSAGE, utf8(why.getMessage()));
        h.add(SOURCE_TOPIC, utf8(topic));
        h.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
        h.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
        h.add(SOURCE_TIMESTAMP, utf8(Long.toString(timestamp)));
        return h;
    }

    /** The last value of a header as a string, or null. */
    public static String header(Headers headers, String key) {
        var h = headers.lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
