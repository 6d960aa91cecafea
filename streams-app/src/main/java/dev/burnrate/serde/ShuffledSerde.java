package dev.burnrate.serde;

import dev.burnrate.ingest.Shuffled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary encoding of {@link Shuffled} for the internal by-service topic (never read by anyone else, so no
 * schema registry): a tag byte, then fixed fields. Version it through the tag if the layout ever changes.
 */
public final class ShuffledSerde implements Serde<Shuffled> {
    private static final byte DELTA_V1 = 3;
    private static final byte PROGRESS_V1 = 2;
    private static final Serializer<Shuffled> SERIALIZER = ShuffledSerde::encode;
    private static final Deserializer<Shuffled> DESERIALIZER = ShuffledSerde::decode;

    static byte[] encode(String topic, Shuffled value) {
        if (value == null) return null;
        if (value instanceof Shuffled.Progress p) {
            return ByteBuffer.allocate(1 + 4 + 4 + 8).put(PROGRESS_V1).putInt(p.sourcePartition())
                    .putInt(p.sourcePartitions()).putLong(p.timeMs()).array();
        }
        Shuffled.Delta d = (Shuffled.Delta) value;
        byte[] service = d.service().getBytes(StandardCharsets.UTF_8);
        byte[] route = d.route().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 4 + service.length + 4 + route.length + 2 + 8 + 8).put(DELTA_V1)
                .putInt(service.length).put(service).putInt(route.length).put(route)
                .putShort((short) d.status()).putLong(d.bucketStartMs()).putLong(d.count()).array();
    }

    static Shuffled decode(String topic, byte[] data) {
        if (data == null) return null;
        ByteBuffer b = ByteBuffer.wrap(data);
        byte tag = b.get();
        if (tag == PROGRESS_V1) return new Shuffled.Progress(b.getInt(), b.getInt(), b.getLong());
        if (tag != DELTA_V1) throw new SerializationException("unknown by-service record tag " + tag);
        String service = str(b);
        String route = str(b);
        return new Shuffled.Delta(service, route, b.getShort(), b.getLong(), b.getLong());
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
