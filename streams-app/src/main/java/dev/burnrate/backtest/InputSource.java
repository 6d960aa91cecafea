package dev.burnrate.backtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** Where a backtest reads its access-log records from: a file, or a Kafka topic over a time range. */
interface InputSource extends AutoCloseable {
    /** No timestamp of its own (a file line): the record takes the newest event time seen so far. */
    long NO_TIMESTAMP = Long.MIN_VALUE;

    /** One record: its bytes, its own timestamp (or {@link #NO_TIMESTAMP}) and where it is in the input. */
    final class Cursor {
        byte[] value;
        long timestampMs;
        long position;
    }

    /** Fills the cursor with the next record; false at the end of the input. */
    boolean next(Cursor into) throws IOException;

    /** A position for people: "line 17", "partition 2 offset 1234". */
    String describe(long position);

    /** The same position as JSON fields ("line": 17, or "partition"/"offset"). */
    void describe(long position, ObjectNode into);

    /** What is being read, for the progress line. */
    String name();

    @Override
    void close();
}
