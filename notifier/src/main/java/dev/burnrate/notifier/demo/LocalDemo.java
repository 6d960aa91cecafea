package dev.burnrate.notifier.demo;

import dev.burnrate.app.AppConfig;
import dev.burnrate.app.AppKey;
import dev.burnrate.app.ConfigException;
import dev.burnrate.notifier.Notifier;
import dev.burnrate.notifier.NotifierConfig;
import dev.burnrate.notifier.NotifierKey;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's run command: the processor's own local run (embedded broker, processor, demo traffic with an
 * incident; {@code dev.burnrate.app.Main}, unchanged) and, beside it in the same JVM, the notifier delivering to a
 * local Alertmanager when one is installed (prometheus-alertmanager; its UI shows the alert) and to the console
 * (NOTIFY lines), so the page is seen being delivered and resolved without any account. Ctrl-C stops everything.
 */
public final class LocalDemo {
    private static final Logger log = LoggerFactory.getLogger(LocalDemo.class);

    public static void main(String[] args) throws Exception {
        Path processorConfig = Path.of("config/application.properties");
        AppConfig processor = AppConfig.load(Files.isRegularFile(processorConfig) ? processorConfig : null, System.getenv());
        if (processor.hasBootstrapServers()) {
            throw new ConfigException("the local demo runs its own embedded broker: unset bootstrap.servers, or run "
                    + "dev.burnrate.app.Main and dev.burnrate.notifier.Main against your cluster");
        }
        Thread processorThread = new Thread(() -> dev.burnrate.app.Main.main(args), "processor-main");
        processorThread.setDaemon(true);
        processorThread.start();

        String bootstrap = "127.0.0.1:" + processor.get(AppKey.EMBEDDED_PORT);
        String topic = processor.get(AppKey.ALERTS_TOPIC);
        awaitTopic(bootstrap, topic);

        Path notifierConfig = Path.of("config/notifier.properties");
        NotifierConfig cfg = NotifierConfig.load(Files.isRegularFile(notifierConfig) ? notifierConfig : null, System.getenv())
                .with("bootstrap.servers", bootstrap).with(NotifierKey.ALERTS_TOPIC.key, topic)
                .with(NotifierKey.CONSOLE_ENABLED.key, "true");
        LocalAlertmanager am = null;
        Path binary = LocalAlertmanager.binary();
        if (binary != null && cfg.get(NotifierKey.ALERTMANAGER_URLS).isEmpty()) {
            am = LocalAlertmanager.start(binary, Path.of(".data/alertmanager"), 9093, Duration.ofMinutes(5));
            cfg = cfg.with(NotifierKey.ALERTMANAGER_URLS.key, am.url().toString());
            log.info("demo: Alertmanager {} running at {} (open it in a browser to see the alert; data in .data/alertmanager)", binary, am.url());
        } else if (binary == null) {
            log.info("demo: no Alertmanager installed (apt-get install prometheus-alertmanager): the notifier prints what it would send (NOTIFY lines)");
        }
        Notifier notifier = Notifier.start(cfg, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), System.out);
        LocalAlertmanager started = am;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                notifier.close();
                if (started != null) started.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
        }, "demo-shutdown"));
        stopped.await();
    }

    /** The processor starts the broker and then creates its topics; the notifier follows the alerts topic. */
    private static void awaitTopic(String bootstrap, String topic) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (brokerHas(bootstrap, topic)) return;
            Thread.sleep(1000);
        }
        throw new IllegalStateException("the processor did not create " + topic + " on " + bootstrap + " within 3 minutes");
    }

    private static boolean brokerHas(String bootstrap, String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap, "request.timeout.ms", 2000, "default.api.timeout.ms", 3000,
                "reconnect.backoff.max.ms", 1000))) {
            return admin.listTopics().names().get().contains(topic);
        } catch (Exception e) {
            return false; // the broker is not up yet
        }
    }
}
