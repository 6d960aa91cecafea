package dev.burnrate.notifier.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** The notifier's own small HTTP endpoints: /metrics (Prometheus text), /health, /ready (503 with the reason). */
public final class OpsServer implements AutoCloseable {
    private final HttpServer server;

    /** @param notReady null when ready, else why not */
    public OpsServer(String bindAddress, int port, PrometheusMeterRegistry registry, Supplier<String> notReady) throws IOException {
        server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
        server.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/health", ex -> reply(ex, 200, "application/json", "{\"status\":\"alive\"}"));
        server.createContext("/ready", ex -> {
            String why = notReady.get();
            if (why == null) reply(ex, 200, "application/json", "{\"status\":\"ready\"}");
            else reply(ex, 503, "application/json", "{\"status\":\"not ready\",\"reason\":\"" + why.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
        });
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "notifier-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
