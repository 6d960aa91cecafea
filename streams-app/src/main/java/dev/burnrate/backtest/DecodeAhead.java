package dev.burnrate.backtest;

import dev.burnrate.ingest.AccessEvent;
import dev.burnrate.ingest.EventDecoder;
import dev.burnrate.ingest.InvalidRecordException;
import java.io.IOException;
import dev.burnrate.core.SkipReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads the input and decodes each record on a thread of its own, ahead of the pipeline: decoding (JSON parsing) is
 * the largest share of a backtest, and needs nothing from the pipeline but the input's order. The decoding is the
 * processor's own decoder's, record by record in input order; the ingest stage then gets the result through
 * {@link #decoder}, when it asks for that record, and does everything else with it as it always does.
 *
 * <p>A record without a timestamp of its own takes the newest event time decoded before it (as BacktestRunner
 * describes), which only an in-order decoder knows: so it is decided here.
 */
final class DecodeAhead implements AutoCloseable {
    /** One record: as read, and what the decoder made of it (its events, skipped entries, and the reason it is a
     * dead letter if it is one). */
    static final class Item implements EventDecoder.Sink {
        byte[] value;
        long timestampMs;
        long position;
        /** the record's event, or an OTLP batch's first; null when it gave none */
        AccessEvent event;
        /** an OTLP batch's further events and skipped entries, in order; null for a plain record */
        List<Object> more;
        /** the oldest and newest event time of its events (Long.MIN_VALUE when none) */
        long minEventMs = Long.MIN_VALUE;
        long maxEventMs = Long.MIN_VALUE;
        RuntimeException failure;
        InvalidRecordException invalid;

        @Override
        public void event(AccessEvent e) {
            if (event == null) event = e;
            else add(e);
            long t = e.timestampMs();
            if (minEventMs == Long.MIN_VALUE || t < minEventMs) minEventMs = t;
            maxEventMs = Math.max(maxEventMs, t);
        }

        @Override
        public void skipped(SkipReason reason) {
            add(reason);
        }

        private void add(Object o) {
            if (more == null) more = new ArrayList<>();
            more.add(o);
        }

        /** Gives the sink what the decoder gave this item. */
        void replay(EventDecoder.Sink sink) {
            if (event != null) sink.event(event);
            if (more == null) return;
            for (Object o : more) {
                if (o instanceof AccessEvent e) sink.event(e);
                else sink.skipped((SkipReason) o);
            }
        }
    }

    private static final int BATCH = 1024;
    private static final Item[] END = new Item[0];

    private final InputSource source;
    private final EventDecoder decoder;
    private final BlockingQueue<Item[]> queue = new ArrayBlockingQueue<>(16);
    private final Thread thread;
    private volatile boolean stopped;
    private volatile String inputError;
    private volatile RuntimeException readFailure;
    private Item[] batch = new Item[0];
    private int next;
    private Item current;

    DecodeAhead(InputSource source, EventDecoder decoder) {
        this.source = source;
        this.decoder = decoder;
        this.thread = new Thread(this::read, "backtest-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** The next record (whose decoding {@link #decoder} hands over from now on), or null at the end of the input. */
    Item next() {
        if (next == batch.length) {
            if (batch == END) return null;
            try {
                batch = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the input", e);
            }
            next = 0;
            if (batch == END) {
                if (readFailure != null) throw readFailure;
                return null;
            }
        }
        current = batch[next++];
        return current;
    }

    /** Why the input ended before its end (a truncated gzip stream), or null. Valid once {@link #next} returned null. */
    String inputError() {
        return inputError;
    }

    /**
     * For the pipeline: a decoder with the processor's checks whose JSON and Avro decoding is the result already
     * computed for the current record (the same checks ran on it, so what reaches here is what the inner one decoded).
     */
    EventDecoder decoder(int maxRecordBytes) {
        EventDecoder.Decoder handOver = (value, ts, sink) -> {
            Item it = current;
            if (it == null || it.value != value || it.timestampMs != ts) {
                throw new IllegalStateException("the ingest stage decoded a record other than the current one");
            }
            if (it.failure != null) throw it.failure;
            it.replay(sink);
            if (it.invalid != null) throw it.invalid;
        };
        return new EventDecoder(maxRecordBytes, handOver, handOver, handOver, handOver);
    }

    private void read() {
        long max = Long.MIN_VALUE;
        Item[] out = new Item[BATCH];
        int n = 0;
        try {
            InputSource.Cursor c = new InputSource.Cursor();
            while (!stopped) {
                boolean more;
                try {
                    more = source.next(c);
                } catch (IOException e) {
                    inputError = e.getMessage() == null ? e.toString() : e.getMessage();
                    more = false;
                }
                if (!more) break;
                Item it = new Item();
                it.value = c.value;
                it.position = c.position;
                it.timestampMs = c.timestampMs != InputSource.NO_TIMESTAMP ? c.timestampMs : Math.max(max, 0);
                try {
                    decoder.decode(it.value, it.timestampMs, it);
                } catch (InvalidRecordException e) {
                    it.invalid = e;
                } catch (RuntimeException e) {
                    it.failure = e;
                }
                max = Math.max(max, it.maxEventMs);
                out[n++] = it;
                if (n == BATCH) {
                    put(out);
                    out = new Item[BATCH];
                    n = 0;
                }
            }
        } catch (RuntimeException e) {
            readFailure = e; // a broker that cannot be read: the main thread rethrows it after the records before it
        } finally {
            put(Arrays.copyOf(out, n));
            put(END);
        }
    }

    private void put(Item[] items) {
        if (items.length == 0 && items != END) return;
        try {
            if (!stopped) queue.put(items);
        } catch (InterruptedException e) {
            stopped = true;
        }
    }

    /** Stops the reader (if the pipeline failed before the end) and waits for it: the source is closed after this. */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        queue.clear();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
