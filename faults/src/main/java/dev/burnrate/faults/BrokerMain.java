package dev.burnrate.faults;

import dev.burnrate.embedded.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** The broker's own JVM: {@code BrokerMain DATA_DIR PORT}; prints "broker ready" once it serves; SIGTERM stops it. */
public final class BrokerMain {
    static final String READY = "broker ready at ";

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Path.of(args[0]), Integer.parseInt(args[1]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-shutdown"));
        System.out.println(READY + broker.bootstrapServers());
        stopped.await();
    }
}
