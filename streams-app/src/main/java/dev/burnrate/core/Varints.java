package dev.burnrate.core;

import java.nio.ByteBuffer;

/**
 * Unsigned LEB128 varints, the encoding of the by-service hand-over and of the finest buckets' sub-buckets: small
 * counts and differences take one or two bytes instead of eight.
 */
public final class Varints {
    /** The most bytes one varint takes (a 64-bit value, 7 bits per byte). */
    public static final int MAX_BYTES = 10;

    private Varints() {
    }

    public static void put(ByteBuffer b, long v) {
        while ((v & ~0x7FL) != 0) {
            b.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        b.put((byte) v);
    }

    /**
     * @throws java.nio.BufferUnderflowException if b ends inside the varint
     * @throws IllegalArgumentException if it is longer than {@link #MAX_BYTES}
     */
    public static long get(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte x = b.get();
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) return v;
        }
        throw new IllegalArgumentException("malformed varint: more than " + MAX_BYTES + " bytes");
    }

    /** Zigzag: small negative numbers (differences) as small unsigned ones. */
    public static void putSigned(ByteBuffer b, long v) {
        put(b, (v << 1) ^ (v >> 63));
    }

    public static long getSigned(ByteBuffer b) {
        long v = get(b);
        return (v >>> 1) ^ -(v & 1);
    }
}
