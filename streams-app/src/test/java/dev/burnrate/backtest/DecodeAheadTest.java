package dev.burnrate.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.burnrate.app.AppConfig;
import dev.burnrate.app.Application;
import dev.burnrate.core.DeadLetterReason;
import dev.burnrate.ingest.CollectingSink;
import dev.burnrate.ingest.EventDecoder;
import dev.burnrate.ingest.InvalidRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecodeAheadTest {
    private static final long T = 1_772_409_600_000L; // 2026-03-02T00:00:00Z
    private static final EventDecoder DECODER = Application.decoder(AppConfig.ofMap(Map.of()));

    /** Lines as a source; after them it fails with {@code failure}, or ends; {@code endless} repeats the first line forever. */
    private static InputSource lines(List<String> lines, RuntimeException failure, boolean endless) {
        return new InputSource() {
            long i;

            @Override
            public boolean next(Cursor into) {
                if (i >= lines.size() && !endless) {
                    if (failure != null) throw failure;
                    return false;
                }
                into.value = lines.get(endless ? 0 : (int) i).getBytes(StandardCharsets.UTF_8);
                into.timestampMs = NO_TIMESTAMP;
                into.position = ++i;
                return true;
            }

            @Override
            public String describe(long position) {
                return "line " + position;
            }

            @Override
            public void describe(long position, ObjectNode into) {
                into.put("line", position);
            }

            @Override
            public String name() {
                return "test";
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void recordsComeInOrderDecodedAndALineWithoutTimestampTakesTheNewestEventTimeBeforeIt() throws InvalidRecordException {
        List<String> in = List.of(
                "{\"timestamp\":" + (T + 5000) + ",\"service\":\"a\",\"status\":200}",
                "{\"timestamp\":" + (T + 9000) + ",\"service\":\"a\",\"status\":200}",
                "{\"timestamp\":" + (T + 7000) + ",\"service\":\"a\",\"status\":200}",
                "not json",
                "{\"service\":\"a\",\"status\":503}");
        try (DecodeAhead ahead = new DecodeAhead(lines(in, null, false), DECODER)) {
            EventDecoder handOver = ahead.decoder(1 << 20);
            long[] times = new long[5];
            for (int i = 0; i < 5; i++) {
                DecodeAhead.Item it = ahead.next();
                assertEquals(i + 1, it.position);
                if (i == 3) {
                    assertEquals(DeadLetterReason.UNDECODABLE, assertThrows(InvalidRecordException.class,
                            () -> handOver.decode(it.value, it.timestampMs, new CollectingSink())).reason());
                    continue;
                }
                CollectingSink got = new CollectingSink();
                handOver.decode(it.value, it.timestampMs, got);
                assertSame(it.event, got.single(), "the stage gets the decoded event");
                times[i] = it.event.timestampMs();
            }
            assertEquals(List.of(T + 5000, T + 9000, T + 7000, 0L, T + 9000), List.of(times[0], times[1], times[2], times[3], times[4]));
            assertNull(ahead.next());
            assertNull(ahead.next(), "the end stays the end");
            assertNull(ahead.inputError());
        }
    }

    @Test
    void theStageDecodingAnotherRecordThanTheCurrentOneIsAnError() {
        try (DecodeAhead ahead = new DecodeAhead(lines(List.of("{\"timestamp\":5000,\"service\":\"a\",\"status\":200}"), null, false), DECODER)) {
            DecodeAhead.Item it = ahead.next();
            byte[] copy = it.value.clone();
            assertThrows(IllegalStateException.class, () -> ahead.decoder(1 << 20).decode(copy, it.timestampMs, new CollectingSink()));
        }
    }

    @Test
    void aSourceFailureComesAfterTheRecordsReadBeforeIt() {
        RuntimeException broker = new IllegalStateException("broker gone");
        try (DecodeAhead ahead = new DecodeAhead(lines(List.of("{\"timestamp\":1,\"service\":\"a\",\"status\":200}"), broker, false), DECODER)) {
            assertEquals(1, ahead.next().position);
            assertSame(broker, assertThrows(IllegalStateException.class, ahead::next));
        }
    }

    @Test
    void closingBeforeTheEndStopsTheReader() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            DecodeAhead ahead = new DecodeAhead(lines(List.of("{\"timestamp\":1,\"service\":\"a\",\"status\":200}"), null, true), DECODER);
            ahead.next();
            Thread.sleep(200); // the reader fills the queue and waits
            ahead.close();
        });
    }
}
