package dev.burnrate.notifier;

import dev.burnrate.app.ConfigException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier's entry point: {@code --config FILE} (default config/notifier.properties when present), every key
 * overridable as BURNRATE_&lt;KEY&gt;. Runs until stopped (SIGTERM / Ctrl-C); a bad configuration exits with status 2.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    public static void main(String[] args) {
        try {
            Notifier n = Notifier.start(load(args), registry(), System.out);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    n.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stopped.countDown();
            }, "notifier-shutdown"));
            stopped.await();
        } catch (ConfigException e) {
            System.err.println("burnrate-notifier: configuration error: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            log.error("startup failed", e);
            System.exit(1);
        }
    }

    static NotifierConfig load(String[] args) {
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) file = Path.of(args[++i]);
            else throw new ConfigException("unknown argument '" + args[i] + "' (usage: [--config FILE])");
        }
        if (file == null && Files.isRegularFile(Path.of("config/notifier.properties"))) file = Path.of("config/notifier.properties");
        NotifierConfig cfg = NotifierConfig.load(file, System.getenv());
        log.info("config {}: {}", file == null ? "(defaults)" : file, cfg.describe());
        return cfg;
    }

    static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        return registry;
    }
}
