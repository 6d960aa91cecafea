package dev.burnrate.windows;

import dev.burnrate.core.StoreNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Route keys of a service whose routes need no period keep the coarsest tier for the route windows only; the
 * service's total, and the routes of a service that needs them, keep the period. A span no tier keeps for a key
 * fails loudly instead of giving a short count.
 */
class RouteRetentionTest {
    private static final long T0 = 1_772_409_600_000L;
    private static final long HOUR = 3_600_000;

    @Test
    void routesKeepTheirWindowsServicesThePeriod() {
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.BUCKETS),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        List<Duration> routeWindows = List.of(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(1));
        List<Duration> windows = List.of(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(30));
        TierPlan plan = new TierPlan(Duration.ofSeconds(10), Duration.ofSeconds(10), windows, routeWindows, "grouped"::equals);
        TierPlan.Tier hourly = plan.tierFor(Duration.ofDays(30));
        assertEquals(Duration.ofDays(30).plusHours(1).toMillis(), plan.retentionMs(hourly, "svc", BucketStore.ALL_ROUTES));
        assertEquals(Duration.ofDays(1).plusHours(1).toMillis(), plan.retentionMs(hourly, "svc", "/a"));
        assertEquals(hourly.retentionMs(), plan.retentionMs(hourly, "grouped", "/a"));

        BucketStore writer = new BucketStore(store, plan);
        // one request per hour for 3 days, for a route of each service
        long end = T0 + 72 * HOUR;
        for (long t = T0 + 10_000; t <= end; t += 10_000) {
            if (t % HOUR == 20_000) {
                writer.add("svc", "/a", t - 15_000, 200, 1);
                writer.add("grouped", "/a", t - 15_000, 200, 1);
            }
            writer.rollUpDue(t);
            writer.rolledUpTo(t);
            if (t % HOUR == 0) writer.expire(t);
        }
        writer.flushPending();
        BucketStore reader = new BucketStore(store, plan, true);
        assertEquals(72, SpanCounts.since(reader, "svc", BucketStore.ALL_ROUTES, T0, end).requests(), "the service keeps the period");
        assertEquals(72, SpanCounts.since(reader, "grouped", "/a", T0, end).requests(), "so do routes that are alert groups");
        assertEquals(24, reader.window("svc", "/a", Duration.ofDays(1), end).requests(), "a route keeps its windows");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SpanCounts.since(reader, "svc", "/a", T0, end));
        assertTrue(e.getMessage().contains("svc /a"), e.getMessage());
        long hourlyOfA = reader.buckets("svc", "/a", hourly, T0, end).size();
        assertTrue(hourlyOfA <= 26 && hourlyOfA >= 24, hourlyOfA + " hourly buckets of svc /a kept (1 day + 1 hour, expiry hourly)");
    }
}
