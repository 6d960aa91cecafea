package dev.burnrate.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary encoding of {@link Shuffled} for the internal by-service topic and the ingest buffer's changelog
 * (never read by anyone else, so no schema registry): a tag byte, then varints. A batch is the service, then per
 * route its name and its (status, bucket, count) entries, bucket starts as differences from the previous one
 * (they are close together), so a count costs a few bytes. Version it through the tag if the layout ever changes.
 */
public final class ShuffledSerde implements Serde<Shuffled> {
    private static final byte PROGRESS_V1 = 2;
    private static final byte BATCH_V1 = 4;
    private static final Serializer<Shuffled> SERIALIZER = (topic, value) -> encode(value);
    private static final Deserializer<Shuffled> DESERIALIZER = (topic, data) -> decode(data);

    public static byte[] encode(Shuffled value) {
        if (value == null) return null;
        Out out = new Out();
        if (value instanceof Shuffled.Progress p) {
            out.write(PROGRESS_V1);
            out.varint(p.sourcePartition());
            out.varint(p.sourcePartitions());
            out.fixedLong(p.timeMs());
            return out.toByteArray();
        }
        Shuffled.Batch batch = (Shuffled.Batch) value;
        out.write(BATCH_V1);
        out.string(batch.service());
        long[] previousBucket = {0};
        String[] currentRoute = {null};
        // routes are visited grouped: a route name is written once, followed by a 0-terminated run of entries
        batch.forEachEntry((route, status, bucket, n) -> {
            if (!route.equals(currentRoute[0])) {
                if (currentRoute[0] != null) out.varint(0);
                out.varint(1);
                out.string(route);
                currentRoute[0] = route;
            }
            out.varint(status);
            out.zigzag(bucket - previousBucket[0]);
            previousBucket[0] = bucket;
            out.varlong(n);
        });
        if (currentRoute[0] != null) out.varint(0);
        out.varint(0); // no more routes
        return out.toByteArray();
    }

    public static Shuffled decode(byte[] data) {
        if (data == null) return null;
        In in = new In(data);
        byte tag = in.readByte();
        if (tag == PROGRESS_V1) return new Shuffled.Progress(in.varint(), in.varint(), in.fixedLong());
        if (tag != BATCH_V1) throw new SerializationException("unknown by-service record tag " + tag);
        Shuffled.Batch batch = new Shuffled.Batch(in.string());
        long bucket = 0;
        while (in.varint() == 1) {
            String route = in.string();
            int status;
            while ((status = in.varint()) != 0) {
                bucket += in.zigzag();
                batch.add(route, status, bucket, in.varlong());
            }
        }
        return batch;
    }

    @Override
    public Serializer<Shuffled> serializer() {
        return SERIALIZER;
    }

    @Override
    public Deserializer<Shuffled> deserializer() {
        return DESERIALIZER;
    }

    /** A growable byte array (ByteArrayOutputStream synchronizes every byte written). */
    private static final class Out {
        private byte[] buf = new byte[64];
        private int size;

        void write(int b) {
            if (size == buf.length) buf = Arrays.copyOf(buf, size * 2);
            buf[size++] = (byte) b;
        }

        void write(byte[] b, int off, int len) {
            if (size + len > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + len));
            System.arraycopy(b, off, buf, size, len);
            size += len;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }

        void varint(int v) {
            varlong(v & 0xFFFFFFFFL);
        }

        void varlong(long v) {
            while ((v & ~0x7FL) != 0) {
                write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            write((int) v);
        }

        void zigzag(long v) {
            varlong((v << 1) ^ (v >> 63));
        }

        void fixedLong(long v) {
            for (int i = 7; i >= 0; i--) write((int) (v >>> (8 * i)));
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length);
            write(b, 0, b.length);
        }
    }

    private static final class In {
        private final byte[] data;
        private int pos;

        In(byte[] data) {
            this.data = data;
        }

        byte readByte() {
            if (pos >= data.length) throw new SerializationException("truncated by-service record");
            return data[pos++];
        }

        int varint() {
            return (int) varlong();
        }

        long varlong() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = readByte();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) return v;
            }
            throw new SerializationException("malformed varint in by-service record");
        }

        long zigzag() {
            long v = varlong();
            return (v >>> 1) ^ -(v & 1);
        }

        long fixedLong() {
            long v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | (readByte() & 0xFF);
            return v;
        }

        String string() {
            int len = varint();
            if (len < 0 || pos + len > data.length) throw new SerializationException("truncated by-service record");
            String s = new String(data, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }
    }
}
