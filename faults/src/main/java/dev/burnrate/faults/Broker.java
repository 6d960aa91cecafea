package dev.burnrate.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The KRaft broker in its own JVM, on a fixed port so clients reconnect to the same address after a restart. */
final class Broker implements AutoCloseable {
    private final Path dir;
    private final int port;
    private ChildJvm jvm;
    private int starts;

    private Broker(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static Broker start(Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Broker b = new Broker(dir, port);
        b.start();
        return b;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker on its data (formatted on first start) and returns once it serves; the time it took, ms. */
    long start() throws Exception {
        starts++;
        Path log = dir.resolve("broker-" + starts + ".log"); // a new file per start: an old "ready" line never matches
        jvm = new ChildJvm("broker#" + starts, log, "512m", BrokerMain.class.getName(), dir.resolve("data").toString(), Integer.toString(port));
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!ready(log)) {
            if (!jvm.alive()) throw new IllegalStateException("broker exited with " + jvm.exitValue() + "\n" + jvm.tail(40));
            if (System.nanoTime() > deadline) throw new IllegalStateException("broker not ready after 90s\n" + jvm.tail(40));
            Thread.sleep(100);
        }
        return (System.nanoTime() - jvm.startedNanos) / 1_000_000;
    }

    private static boolean ready(Path log) throws IOException {
        return Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(BrokerMain.READY);
    }

    void kill() throws InterruptedException {
        jvm.kill();
    }

    /** A clean shutdown (SIGTERM: controlled shutdown, logs flushed). */
    void stop() throws InterruptedException {
        jvm.stop(60);
    }

    @Override
    public void close() throws InterruptedException {
        if (jvm != null) jvm.close();
    }
}
