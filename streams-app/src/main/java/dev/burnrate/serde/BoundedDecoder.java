package dev.burnrate.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * A {@link BinaryDecoder} over a byte array that refuses lengths and item counts larger than the whole body.
 *
 * <p>Avro allocates a string/bytes buffer or a collection of the length read from the data <em>before</em> reading
 * the content: one corrupt varint claiming 2 GB costs a 2 GB allocation (seconds, or an OutOfMemoryError) before the
 * truncation is noticed. A length can never exceed the body; a count cannot either as long as every item takes at
 * least one byte, which holds for all our schemas (an array of {@code null}s or of empty records would be refused
 * above that size).
 */
final class BoundedDecoder extends Decoder {
    private final BinaryDecoder in;
    private final long max;

    BoundedDecoder(BinaryDecoder in, int bodyLength) {
        this.in = in;
        this.max = bodyLength;
    }

    private long checkLength(long length, String what) throws IOException {
        if (length < 0 || length > max) {
            throw new IOException(what + " of " + length + " is longer than the " + max + "-byte body");
        }
        return length;
    }

    private long checkCount(long count) throws IOException {
        // a block count may be negative (followed by the block's byte size): Avro's block-skipping encoding
        if (Math.abs(count) > max) {
            throw new IOException("collection of " + count + " items is larger than the " + max + "-byte body");
        }
        return count;
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        // same encoding as BinaryDecoder.readString: a long length, then that many bytes
        int length = (int) checkLength(in.readLong(), "string length");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        if (length > 0) {
            in.readFixed(result.getBytes(), 0, length);
        }
        return result;
    }

    @Override
    public String readString() throws IOException {
        return readString(null).toString();
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed((int) checkLength(in.readLong(), "string length"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = (int) checkLength(in.readLong(), "bytes length");
        byte[] bytes = new byte[length];
        in.readFixed(bytes, 0, length);
        return ByteBuffer.wrap(bytes);
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed((int) checkLength(in.readLong(), "bytes length"));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return checkCount(in.readArrayStart());
    }

    @Override
    public long arrayNext() throws IOException {
        return checkCount(in.arrayNext());
    }

    @Override
    public long skipArray() throws IOException {
        return checkCount(in.skipArray());
    }

    @Override
    public long readMapStart() throws IOException {
        return checkCount(in.readMapStart());
    }

    @Override
    public long mapNext() throws IOException {
        return checkCount(in.mapNext());
    }

    @Override
    public long skipMap() throws IOException {
        return checkCount(in.skipMap());
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }

    boolean isEnd() throws IOException {
        return in.isEnd();
    }
}
