package dev.burnrate.alerts;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The state of one alert (SLO, rule, group), as kept in a Kafka Streams store. Immutable.
 *
 * @param phase          INACTIVE, PENDING, FIRING or RESOLVED
 * @param activeSinceMs  when the condition first became true in the current/last episode, or {@link #UNSET}
 * @param firedAtMs      when the current/last episode started firing, or {@link #UNSET}
 * @param resolvedAtMs   when the last episode resolved, or {@link #UNSET}
 * @param lastEvalMs     the evaluation instant that produced this state (older evaluations are ignored), or
 *                       {@link #UNSET}; in the store, the instant of the last change (see {@link #sameBut})
 * @param clearedSinceMs a FIRING alert whose rule keeps firing after its condition clears: since when the condition
 *                       has been false, or {@link #UNSET} (it held at the last evaluation)
 */
public record AlertState(Phase phase, long activeSinceMs, long firedAtMs, long resolvedAtMs, long lastEvalMs, long clearedSinceMs) {
    public enum Phase {
        INACTIVE, PENDING, FIRING, RESOLVED
    }

    /** Marks a timestamp that does not apply. */
    public static final long UNSET = Long.MIN_VALUE;
    /**
     * Encoding version; the first byte of {@link #toBytes()}. Version 2 adds {@link #clearedSinceMs} and is written
     * only when it is set, so a store written without keepFiringFor stays readable by a version that predates it.
     */
    public static final byte VERSION = 1;
    private static final byte VERSION_CLEARED = 2;
    private static final int SIZE = 2 + 4 * Long.BYTES;
    private static final AlertState INITIAL = new AlertState(Phase.INACTIVE, UNSET, UNSET, UNSET, UNSET);

    public AlertState {
        if (phase == null) throw new IllegalArgumentException("phase");
    }

    public AlertState(Phase phase, long activeSinceMs, long firedAtMs, long resolvedAtMs, long lastEvalMs) {
        this(phase, activeSinceMs, firedAtMs, resolvedAtMs, lastEvalMs, UNSET);
    }

    /** The state of an alert never evaluated (what a missing store entry means). */
    public static AlertState initial() {
        return INITIAL;
    }

    public static AlertState inactive(long evalTimeMs) {
        return new AlertState(Phase.INACTIVE, UNSET, UNSET, UNSET, evalTimeMs);
    }

    /** INACTIVE carries no information worth keeping: the store entry can be deleted. */
    public boolean deletable() {
        return phase == Phase.INACTIVE;
    }

    /**
     * Whether this state is other's but for the evaluation instant: the evaluator then leaves the stored state as it
     * is, so a firing or pending alert costs no store write (and no changelog record) per instant; the stored
     * instant is that of the last change. An evaluation after it that is repeated (a restart without exactly-once)
     * changed nothing the first time and changes nothing again.
     */
    public boolean sameBut(AlertState other) {
        return other != null && phase == other.phase && activeSinceMs == other.activeSinceMs && firedAtMs == other.firedAtMs
                && resolvedAtMs == other.resolvedAtMs && clearedSinceMs == other.clearedSinceMs;
    }

    /** Firing or pending: the condition held at the last evaluation. */
    public boolean active() {
        return phase == Phase.PENDING || phase == Phase.FIRING;
    }

    /**
     * Version byte 1, phase ordinal byte, then activeSince, firedAt, resolvedAt, lastEval as big-endian longs; version
     * 2 when clearedSince is set, which follows them.
     */
    public byte[] toBytes() {
        boolean cleared = clearedSinceMs != UNSET;
        ByteBuffer b = ByteBuffer.allocate(cleared ? SIZE + Long.BYTES : SIZE).put(cleared ? VERSION_CLEARED : VERSION)
                .put((byte) phase.ordinal()).putLong(activeSinceMs).putLong(firedAtMs).putLong(resolvedAtMs).putLong(lastEvalMs);
        if (cleared) b.putLong(clearedSinceMs);
        return b.array();
    }

    /** The alert-state store's values: {@link #toBytes}. */
    public static final Serde<AlertState> SERDE = Serdes.serdeFrom(
            (Serializer<AlertState>) (topic, s) -> s == null ? null : s.toBytes(),
            (Deserializer<AlertState>) (topic, b) -> b == null ? null : fromBytes(b));

    /** @throws IllegalArgumentException for an unknown version or a truncated/garbled value */
    public static AlertState fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length == 0) throw new IllegalArgumentException("empty AlertState bytes");
        if (bytes[0] != VERSION && bytes[0] != VERSION_CLEARED) {
            throw new IllegalArgumentException("unknown AlertState encoding version " + bytes[0]);
        }
        int size = bytes[0] == VERSION ? SIZE : SIZE + Long.BYTES;
        if (bytes.length != size) throw new IllegalArgumentException("AlertState v" + bytes[0] + " is " + size + " bytes, got " + bytes.length);
        ByteBuffer b = ByteBuffer.wrap(bytes, 1, size - 1);
        int ordinal = b.get();
        if (ordinal < 0 || ordinal >= Phase.values().length) throw new IllegalArgumentException("unknown phase " + ordinal);
        return new AlertState(Phase.values()[ordinal], b.getLong(), b.getLong(), b.getLong(), b.getLong(),
                bytes[0] == VERSION ? UNSET : b.getLong());
    }
}
