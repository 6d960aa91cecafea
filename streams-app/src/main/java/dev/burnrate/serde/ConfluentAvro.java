package dev.burnrate.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * The Confluent Schema Registry wire format, and nothing else:
 * <pre>
 *   byte 0      magic byte 0
 *   bytes 1-4   schema id, big-endian int
 *   bytes 5-    Avro binary encoding of the datum, written with the schema of that id
 * </pre>
 * This is what {@code KafkaAvroSerializer} writes and {@code KafkaAvroDeserializer} reads.
 */
public final class ConfluentAvro {
    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_LENGTH = 5;

    private ConfluentAvro() {
    }

    /** Magic byte 0 and room for the schema id. Does not prove the body is valid Avro. */
    public static boolean looksFramed(byte[] value) {
        return value != null && value.length >= HEADER_LENGTH && value[0] == MAGIC_BYTE;
    }

    /** @throws IllegalArgumentException when {@code !looksFramed(framed)} */
    public static int schemaId(byte[] framed) {
        if (!looksFramed(framed)) {
            throw new IllegalArgumentException("not in the Confluent wire format (magic byte 0 + 4-byte schema id)");
        }
        return ByteBuffer.wrap(framed, 1, 4).getInt();
    }

    public static byte[] frame(int schemaId, byte[] avroBinary) {
        return ByteBuffer.allocate(HEADER_LENGTH + avroBinary.length)
                .put(MAGIC_BYTE).putInt(schemaId).put(avroBinary).array();
    }

    /**
     * Avro binary encoding (no header) of a specific or generic record, written with {@code record.getSchema()}.
     * Specific records get their logical-type conversions (e.g. {@code Instant} for timestamp-millis).
     */
    public static byte[] encode(IndexedRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new SpecificDatumWriter<IndexedRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen with a ByteArrayOutputStream
        }
        return out.toByteArray();
    }

    /** {@code frame(schemaId, encode(record))}. */
    public static byte[] encodeFramed(int schemaId, IndexedRecord record) {
        return frame(schemaId, encode(record));
    }

    /**
     * A reader resolving data written with {@code writer} into {@code reader} (Avro schema resolution: fields the
     * writer lacks take the reader's defaults, fields the reader lacks are skipped). Build once per writer schema:
     * datum readers are thread-safe and cache their resolution.
     *
     * @param reader the generated class's schema (e.g. {@code AccessLogEvent.getClassSchema()}) to get
     *               {@code String}s and conversions of that class
     */
    public static <T> DatumReader<T> reader(Schema writer, Schema reader) {
        return new SpecificDatumReader<>(writer, reader);
    }

    /**
     * Decodes the body of a framed value (from byte 5 on). The header is not checked here: see {@link #looksFramed}
     * and {@link #schemaId}.
     *
     * <p>Lengths and item counts in the data larger than the body are refused before anything is allocated, so a
     * corrupt length prefix cannot cost gigabytes (see {@link BoundedDecoder}).
     *
     * @throws IOException when the body is truncated, corrupt, has trailing bytes, or does not resolve against the
     *                     reader schema; the message is short and fit for a dead-letter header
     */
    public static <T> T decode(byte[] framed, DatumReader<T> reader) throws IOException {
        if (framed.length < HEADER_LENGTH) {
            throw new IOException("shorter than the 5-byte header");
        }
        int bodyLength = framed.length - HEADER_LENGTH;
        BoundedDecoder decoder = new BoundedDecoder(
                DecoderFactory.get().binaryDecoder(framed, HEADER_LENGTH, bodyLength, null), bodyLength);
        T datum;
        try {
            datum = reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            // Avro reports corrupt data as EOFException, AvroRuntimeException, IndexOutOfBounds (bad union/enum
            // index), NegativeArraySize, ...: all mean "these bytes are not this schema"
            throw new IOException("invalid Avro body: " + describe(e), e);
        }
        if (!decoder.isEnd()) {
            throw new IOException("invalid Avro body: trailing bytes after the record");
        }
        return datum;
    }

    /** {@code decode(framed, reader(writer, reader))}, for one-off use. */
    public static <T> T decode(byte[] framed, Schema writer, Schema reader) throws IOException {
        return decode(framed, ConfluentAvro.<T>reader(writer, reader));
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        if (e instanceof java.io.EOFException) {
            return "truncated";
        }
        if (e instanceof IOException && m != null) {
            return m.length() <= 200 ? m : m.substring(0, 200) + "...";
        }
        String d = m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
        return d.length() <= 200 ? d : d.substring(0, 200) + "...";
    }
}
