package dev.burnrate.core;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
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
        try {
            return read(new In(data));
        } catch (BufferUnderflowException e) {
            throw new SerializationException("truncated by-service record");
        } catch (IllegalArgumentException e) {
            throw new SerializationException("malformed by-service record: " + e.getMessage());
        }
    }

    private static Shuffled read(In in) {
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

    /** A growable buffer (ByteArrayOutputStream synchronizes every byte written). */
    private static final class Out {
        private ByteBuffer buf = ByteBuffer.allocate(64);

        private void ensure(int n) {
            if (buf.remaining() < n) buf = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n)).put(buf.flip());
        }

        void write(int b) {
            ensure(1);
            buf.put((byte) b);
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf.array(), buf.position());
        }

        void varint(int v) {
            varlong(v & 0xFFFFFFFFL);
        }

        void varlong(long v) {
            ensure(Varints.MAX_BYTES);
            Varints.put(buf, v);
        }

        void zigzag(long v) {
            ensure(Varints.MAX_BYTES);
            Varints.putSigned(buf, v);
        }

        void fixedLong(long v) {
            ensure(Long.BYTES);
            buf.putLong(v);
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length);
            ensure(b.length);
            buf.put(b);
        }
    }

    /** Reads a record; {@link #decode} turns running past its end or a malformed varint into a SerializationException. */
    private static final class In {
        private final ByteBuffer data;

        In(byte[] data) {
            this.data = ByteBuffer.wrap(data);
        }

        byte readByte() {
            return data.get();
        }

        int varint() {
            return (int) Varints.get(data);
        }

        long varlong() {
            return Varints.get(data);
        }

        long zigzag() {
            return Varints.getSigned(data);
        }

        long fixedLong() {
            return data.getLong();
        }

        String string() {
            int len = varint();
            if (len < 0 || len > data.remaining()) throw new BufferUnderflowException();
            String s = new String(data.array(), data.position(), len, StandardCharsets.UTF_8);
            data.position(data.position() + len);
            return s;
        }
    }
}
