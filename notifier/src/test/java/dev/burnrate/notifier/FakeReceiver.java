package dev.burnrate.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;

/**
 * A local HTTP receiver standing in for PagerDuty, Slack or a webhook: records every request body and answers
 * from a script (status, Retry-After, delay), then with the default status once the script is used up.
 */
final class FakeReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, String retryAfter, long delayMs, String body) {
    }

    private final HttpServer server;
    private final Deque<Answer> script = new ConcurrentLinkedDeque<>();
    private final List<String> bodies = new ArrayList<>();
    private final List<Integer> answered = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private final int defaultStatus;

    FakeReceiver(int defaultStatus) throws IOException {
        this.defaultStatus = defaultStatus;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Answer a = script.poll();
            if (a == null) a = new Answer(defaultStatus, null, 0, "{\"status\":\"success\"}");
            if (a.delayMs() > 0) {
                try {
                    Thread.sleep(a.delayMs());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (this) {
                bodies.add(body);
                answered.add(a.status());
                times.add(System.currentTimeMillis());
            }
            if (a.retryAfter() != null) ex.getResponseHeaders().set("Retry-After", a.retryAfter());
            byte[] b = a.body().getBytes(StandardCharsets.UTF_8);
            try {
                ex.sendResponseHeaders(a.status(), b.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(b);
                }
            } catch (IOException clientGone) {
                // the notifier timed out first: that is the point of a delayed answer
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    FakeReceiver then(int status, String retryAfter, long delayMs, String body) {
        script.add(new Answer(status, retryAfter, delayMs, body));
        return this;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    synchronized List<JsonNode> json() {
        List<JsonNode> out = new ArrayList<>();
        for (String b : bodies) {
            try {
                out.add(JSON.readTree(b));
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + b, e);
            }
        }
        return out;
    }

    synchronized List<Integer> statuses() {
        return List.copyOf(answered);
    }

    /** When each request was answered (epoch ms). */
    synchronized List<Long> times() {
        return List.copyOf(times);
    }

    synchronized int requests() {
        return bodies.size();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
