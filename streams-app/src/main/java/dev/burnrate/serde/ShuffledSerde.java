package dev.burnrate.serde;

import dev.burnrate.ingest.AccessEvent;
import dev.burnrate.ingest.Shuffled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary encoding of {@link Shuffled} for the internal by-service topic (never read by anyone else, so no
 * schema registry): a tag byte, then fixed fields. Version it through the tag if the layout ever changes.
 */
public final class ShuffledSerde implements Serde<Shuffled> {
    private static final byte EVENT_V1 = 1;
    private static final byte PROGRESS_V1 = 2;

    private static final Serializer<Shuffled> SERIALIZER = ShuffledSerde::encode;
    private static final Deserializer<Shuffled> DESERIALIZER = ShuffledSerde::decode;

    static byte[] encode(String topic, Shuffled value) {
        if (value == null) return null;
        if (value instanceof Shuffled.Progress p) {
            return ByteBuffer.allocate(1 + 4 + 4 + 8).put(PROGRESS_V1).putInt(p.sourcePartition())
                    .putInt(p.sourcePartitions()).putLong(p.timeMs()).array();
        }
        AccessEvent e = ((Shuffled.Event) value).event();
        byte[] service = utf8(e.service());
        byte[] route = utf8(e.route());
        byte[] method = utf8(e.method() == null ? "" : e.method());
        int size = 1 + 8 + 4 + service.length + 4 + route.length + 4 + method.length + 2 + 8 + 2;
        byte[][] dims = new byte[e.dimensions().size() * 2][];
        int i = 0;
        for (Map.Entry<String, String> d : e.dimensions().entrySet()) {
            dims[i] = utf8(d.getKey());
            dims[i + 1] = utf8(d.getValue());
            size += 8 + dims[i].length + dims[i + 1].length;
            i += 2;
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(EVENT_V1).putLong(e.timestampMs());
        put(b, service);
        put(b, route);
        put(b, method);
        b.putShort((short) e.status()).putDouble(e.durationMs()).putShort((short) e.dimensions().size());
        for (byte[] d : dims) put(b, d);
        return b.array();
    }

    static Shuffled decode(String topic, byte[] data) {
        if (data == null) return null;
        ByteBuffer b = ByteBuffer.wrap(data);
        byte tag = b.get();
        if (tag == PROGRESS_V1) return new Shuffled.Progress(b.getInt(), b.getInt(), b.getLong());
        if (tag != EVENT_V1) throw new SerializationException("unknown by-service record tag " + tag);
        long ts = b.getLong();
        String service = str(b);
        String route = str(b);
        String method = str(b);
        int status = b.getShort();
        double duration = b.getDouble();
        int n = b.getShort();
        Map<String, String> dims = n == 0 ? Map.of() : new HashMap<>();
        for (int i = 0; i < n; i++) dims.put(str(b), str(b));
        return new Shuffled.Event(new AccessEvent(ts, service, route, method.isEmpty() ? null : method, status, duration, dims));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void put(ByteBuffer b, byte[] s) {
        b.putInt(s.length).put(s);
    }

    private static String str(ByteBuffer b) {
        int len = b.getInt();
        String s = new String(b.array(), b.position(), len, StandardCharsets.UTF_8);
        b.position(b.position() + len);
        return s;
    }

    @Override
    public Serializer<Shuffled> serializer() {
        return SERIALIZER;
    }

    @Override
    public Deserializer<Shuffled> deserializer() {
        return DESERIALIZER;
    }
}
