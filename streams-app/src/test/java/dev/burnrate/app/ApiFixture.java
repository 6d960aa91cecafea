package dev.burnrate.app;

import dev.burnrate.alerts.AlertId;
import dev.burnrate.alerts.AlertState;
import dev.burnrate.query.SliGauges;
import dev.burnrate.query.AlertHistory;
import dev.burnrate.query.Cluster;
import dev.burnrate.query.HttpApi;
import dev.burnrate.query.LocalQueries;
import dev.burnrate.query.QueryService;
import dev.burnrate.query.StoreAccess;
import dev.burnrate.slo.SloConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The HTTP API (and the page) over real state: the topology runs in a TopologyTestDriver fed with an incident on
 * checkout (10% errors on /api/pay from T0, fed up to T0+47m) and a healthy catalog; the real HTTP server answers
 * from the driver's stores, and the alert history holds the alert records the topology wrote.
 */
public final class ApiFixture implements AutoCloseable {
    public static final long S = PipelineTopologyTest.S;
    public static final long MIN = 60_000;
    public static final long T0 = PipelineTopologyTest.T0;
    public static final String TOKEN = "s3cret";

    public final TopologyHarness h;
    public final HttpApi api;
    public final AlertHistory history;
    public final int port;
    public volatile boolean stable = true;
    /** The windows stage's partitions; the fixture holds partition 0 only, so more means some are held by nobody. */
    public volatile int partitions = 1;

    public ApiFixture() {
        this((harness, bucket) -> { });
    }

    /** The fixture, with {@code more} sending further records in each 10s bucket. */
    public ApiFixture(java.util.function.BiConsumer<TopologyHarness, Long> more) {
        this(Instant.ofEpochMilli(S), PipelineTopologyTest.GRID, h -> {
            PipelineTopologyTest.feed(h, S, T0 + 47 * MIN, T0, T0 + 60 * MIN, bucket -> {
                h.send(bucket + 1, "catalog", "/products/" + (bucket / 10_000 % 7), 200);
                h.send(bucket + 2, "checkout", "/api/cart", 200);
                more.accept(h, bucket);
            });
            h.sendRaw("not json".getBytes(StandardCharsets.UTF_8), T0);
        });
    }

    /** The default SLO and configuration, the wall clock starting at {@code wallClockStart}; see below. */
    public ApiFixture(Instant wallClockStart, java.util.function.Consumer<TopologyHarness> feed) {
        this(wallClockStart, Map.of(), feed);
    }

    /**
     * The default SLO, the wall clock starting at {@code wallClockStart}; {@code feed} runs before the API starts
     * (a test may go on feeding {@link #h} afterwards: the API reads the driver's stores as they are).
     */
    public ApiFixture(Instant wallClockStart, Map<String, String> config, java.util.function.Consumer<TopologyHarness> feed) {
        h = new TopologyHarness(SloConfig.defaultConfig(), config, wallClockStart);
        feed.accept(h);
        StoreAccess driver = h.storeAccess();
        StoreAccess stores = new StoreAccess() { // the driver's stores, with as many partitions as the test says
            @Override
            public ReadOnlyKeyValueStore<Bytes, byte[]> buckets(int partition) {
                return driver.buckets(partition);
            }

            @Override
            public ReadOnlyKeyValueStore<String, List<String>> routes(int partition) {
                return driver.routes(partition);
            }

            @Override
            public ReadOnlyKeyValueStore<Integer, Long> progress(int partition) {
                return driver.progress(partition);
            }

            @Override
            public ReadOnlyKeyValueStore<AlertId, AlertState> alertStates(int partition) {
                return driver.alertStates(partition);
            }

            @Override
            public List<Integer> localPartitions() {
                return List.of(0);
            }

            @Override
            public int partitions() {
                return partitions;
            }
        };
        api = new HttpApi(h.registry, new HttpApi.Limits(Duration.ofDays(30), 1000, 100, Duration.ofSeconds(10)), TOKEN);
        port = api.start("127.0.0.1", 0);
        HostInfo self = new HostInfo("127.0.0.1", port);
        Cluster single = new Cluster() {
            @Override
            public Optional<HostInfo> ownerOf(String service) {
                return Optional.of(self);
            }

            @Override
            public List<HostInfo> instances() {
                return List.of(self);
            }

            @Override
            public HostInfo self() {
                return self;
            }

            @Override
            public boolean stable() {
                return stable;
            }
        };
        LocalQueries local = new LocalQueries(h.slos, TopologyFactory.tierPlan(h.cfg, h.slos), stores, TopologyFactory.STANDARD_WINDOWS);
        SliGauges sli = new SliGauges(h.registry, local::summaries, local::alerts, 100);
        history = new AlertHistory(Application.alertDecoder(h.cfg), 100);
        h.alerts.readRecordsToList().forEach(r -> history.add(r.value()));
        api.attach(new QueryService(local, history, single, TOKEN, TopologyHarness.JSON), () -> null, sli::refresh);
    }

    @Override
    public void close() {
        api.close();
        h.close();
    }
}
