package dev.burnrate.notifier.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Alertmanager binary (Debian's prometheus-alertmanager, or `alertmanager` on the PATH) as a child process on
 * a loopback port, with its own config and storage folder and clustering off. For the local demo and the tests.
 */
public final class LocalAlertmanager implements AutoCloseable {
    private static final List<String> CANDIDATES = List.of("/usr/bin/prometheus-alertmanager", "/usr/local/bin/alertmanager",
            "/usr/bin/alertmanager");
    private final Process process;
    private final URI url;

    private LocalAlertmanager(Process process, URI url) {
        this.process = process;
        this.url = url;
    }

    /** The binary, or null when none is installed. */
    public static Path binary() {
        for (String c : CANDIDATES) if (Files.isExecutable(Path.of(c))) return Path.of(c);
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                Path p = Path.of(dir, "alertmanager");
                if (Files.isExecutable(p)) return p;
            }
        }
        return null;
    }

    /**
     * Starts it with a route to a receiver that notifies nobody (the demo and tests read GET /api/v2/alerts).
     * @param port 0 = any free port
     */
    public static LocalAlertmanager start(Path binary, Path dir, int port, Duration resolveTimeout) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("data"));
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  resolve_timeout: " + resolveTimeout.toMillis() + "ms",
                "route:",
                "  receiver: nobody",
                "  group_wait: 1s",
                "receivers:",
                "  - name: nobody",
                ""));
        int p = port == 0 || !free(port) ? freePort() : port;
        Path log = dir.resolve("alertmanager.log");
        Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config, "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + p, "--cluster.listen-address=", "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LocalAlertmanager am = new LocalAlertmanager(process, URI.create("http://127.0.0.1:" + p));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!am.listening()) {
            if (!process.isAlive()) throw new IOException("alertmanager exited with " + process.exitValue() + ": " + Files.readString(log));
            if (System.nanoTime() > deadline) {
                am.close();
                throw new IOException("alertmanager did not listen on port " + p + " within 30s: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        return am;
    }

    public URI url() {
        return url;
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", url.getPort()), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
