package dev.burnrate.app;

import dev.burnrate.demo.DemoTraffic;
import dev.burnrate.core.DeadLetterReason;
import dev.burnrate.metrics.ProcessorMetrics;
import dev.burnrate.slo.SloConfig;
import dev.burnrate.slo.SloConfigException;
import dev.burnrate.slo.SloFileLoader;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point. {@code --config FILE} (default: config/application.properties when present). Without
 * bootstrap.servers it starts the embedded broker and, by default, the demo traffic. Ctrl-C stops everything.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    public static void main(String[] args) {
        try {
            run(args);
        } catch (ConfigException | SloConfigException e) {
            System.err.println("burnrate: configuration error: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            log.error("startup failed", e);
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) configFile = Path.of(args[++i]);
            else throw new ConfigException("unknown argument '" + args[i] + "' (usage: [--config FILE])");
        }
        if (configFile == null && Files.isRegularFile(Path.of("config/application.properties"))) {
            configFile = Path.of("config/application.properties");
        }
        AppConfig loaded = AppConfig.load(configFile, System.getenv());
        String sloFile = loaded.get(AppKey.SLO_FILE);
        SloConfig slos = SloFileLoader.loadOrDefault(sloFile.isBlank() ? null : Path.of(sloFile));
        log.info("config {}; SLOs from {}: {}", configFile == null ? "(defaults)" : configFile,
                sloFile.isBlank() ? "built-in default" : sloFile, slos.slos().stream().map(s -> s.name()).toList());

        Deque<AutoCloseable> running = new ArrayDeque<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping");
            while (!running.isEmpty()) {
                try {
                    running.pop().close();
                } catch (Exception e) {
                    log.warn("while stopping: {}", e.toString());
                }
            }
            stopped.countDown();
        }, "shutdown"));

        AtomicReference<AppConfig> cfg = new AtomicReference<>(loaded);
        boolean embedded = !loaded.hasBootstrapServers();
        if (embedded) {
            log.info("no bootstrap.servers configured: starting the embedded Kafka broker (data in {})", loaded.get(AppKey.EMBEDDED_DATA_DIR));
            running.push(LocalBroker.start(loaded, b -> cfg.set(loaded.with("bootstrap.servers", b))));
            log.info("embedded broker ready at {}", cfg.get().kafka().get("bootstrap.servers"));
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ProcessorMetrics metrics = new ProcessorMetrics(registry); // first: it configures the registry's filters
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
        Application app = Application.start(cfg.get(), slos, metrics);
        running.push(app);

        String demo = cfg.get().get(AppKey.DEMO_ENABLED);
        if (demo.equals("true") || (demo.equals("auto") && embedded)) {
            if (!app.firstRun()) {
                log.warn("demo: the input topic holds records from an earlier run, and the demo replays the last hour over them: "
                        + "its incident overlaps that data and alerts may not show. For a clean demo, stop and delete {} and {}",
                        cfg.get().get(AppKey.EMBEDDED_DATA_DIR), Application.streamsProperties(cfg.get()).getProperty("state.dir"));
            }
            DemoTraffic traffic = DemoTraffic.start(cfg.get().kafka().get("bootstrap.servers"), cfg.get().get(AppKey.INPUT_TOPIC),
                    cfg.get().getInt(AppKey.DEMO_SPEEDUP), cfg.get().getInt(AppKey.DEMO_RATE));
            running.push(traffic);
        }
        ScheduledExecutorService summary = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "summary");
            t.setDaemon(true);
            return t;
        });
        long every = cfg.get().getDuration(AppKey.LOG_SUMMARY_INTERVAL).toMillis();
        summary.scheduleAtFixedRate(new Summary(metrics, every)::log, every, every, TimeUnit.MILLISECONDS);
        running.push(summary::shutdownNow);
        stopped.await();
    }

    /** The periodic one-line status an operator watches: throughput, dead letters, late events, alerts. */
    private static final class Summary {
        private final ProcessorMetrics m;
        private final long everyMs;
        private double lastIngested;

        Summary(ProcessorMetrics m, long everyMs) {
            this.m = m;
            this.everyMs = everyMs;
        }

        void log() {
            double ingested = m.ingestedCount();
            StringBuilder dl = new StringBuilder();
            for (DeadLetterReason r : DeadLetterReason.values()) {
                double c = m.deadLetterCount(r);
                if (c > 0) dl.append(dl.isEmpty() ? "" : ", ").append(r.tag()).append('=').append((long) c);
            }
            log.info("ingested {} events ({}/s), dead letters {}{}, late {}, alerts fired {} resolved {}", (long) ingested,
                    Math.round((ingested - lastIngested) * 1000 / everyMs), (long) m.deadLetterTotal(),
                    dl.isEmpty() ? "" : " (" + dl + ")", (long) m.lateCount(), (long) m.alertsEmitted(true), (long) m.alertsEmitted(false));
            lastIngested = ingested;
        }
    }
}
