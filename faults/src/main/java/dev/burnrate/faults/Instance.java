package dev.burnrate.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One processor instance slot: {@code dev.burnrate.app.Main --config FILE} in its own JVM, with its own state dir and
 * HTTP port, both kept across restarts of the slot (as a restarted pod or service would).
 */
final class Instance implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int port;
    private final Path dir;
    private final Path stateDir;
    private final Map<String, String> cfg;
    private ChildJvm jvm;
    private int starts;
    private boolean stoppedByUs;

    Instance(String name, Path dir, Map<String, String> shared) throws IOException {
        this.name = name;
        this.dir = dir;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        cfg = new TreeMap<>(shared);
        cfg.put("http.port", Integer.toString(port));
        stateDir = dir.resolve(name + "-state");
        cfg.put("state.dir", stateDir.toString());
    }

    /** Starts the JVM (not waiting); each start logs to its own file. */
    void start(Map<String, String> overrides) throws IOException {
        if (jvm != null && jvm.alive()) throw new IllegalStateException(name + " is running");
        starts++;
        stoppedByUs = false;
        Map<String, String> values = new TreeMap<>(cfg);
        values.putAll(overrides);
        values.values().removeIf(String::isEmpty);
        Path file = dir.resolve(name + ".properties");
        Files.writeString(file, values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n")));
        jvm = new ChildJvm(name + "#" + starts, dir.resolve(name + "-" + starts + ".log"), "384m", "dev.burnrate.app.Main", "--config", file.toString());
    }

    boolean alive() {
        return jvm != null && jvm.alive();
    }

    long startedNanos() {
        return jvm.startedNanos;
    }

    void kill() throws InterruptedException {
        stoppedByUs = true;
        jvm.kill();
    }

    void stop() throws InterruptedException {
        stoppedByUs = true;
        jvm.stop(60);
    }

    /** Whether the instance's JVM is gone without the harness having killed or stopped it: a crash. */
    boolean exitedOnItsOwn() {
        return jvm != null && !jvm.alive() && !stoppedByUs;
    }

    String tail() {
        return jvm == null ? "(" + name + " never started)" : jvm.tail(60);
    }

    Path log() {
        return jvm.log;
    }

    /** An HTTP answer: status -1 when the instance does not answer; its Retry-After header, if any. */
    record Answer(int status, String body, String retryAfter) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    /** With the bearer token when the instances have one (http.auth.token). */
    Answer get(String path) {
        String token = cfg.getOrDefault("http.auth.token", "");
        return get(path, token.isEmpty() ? Map.of() : Map.of("Authorization", "Bearer " + token));
    }

    Answer get(String path, Map<String, String> headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5));
            headers.forEach(b::header);
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null));
        } catch (IOException e) {
            return new Answer(-1, e.toString(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    boolean ready() {
        return alive() && get("/ready").status() == 200;
    }

    /**
     * The instant every one of {@code services} has been evaluated to (the smallest "asOf" of /api/services, which
     * answers for all instances), or -1 while unanswerable or a service is missing.
     */
    long evaluatedTo(List<String> services) {
        Answer r = get("/api/services");
        if (r.status() != 200) return -1;
        long min = Long.MAX_VALUE;
        int seen = 0;
        for (JsonNode svc : r.json().get("services")) {
            if (!services.contains(svc.get("service").asText())) continue;
            min = Math.min(min, Instant.parse(svc.get("asOf").asText()).toEpochMilli());
            seen++;
        }
        return seen == services.size() ? min : -1;
    }

    /**
     * Requests and errors per service in the windows over [from, to) (the time series, whose step picks the bucket
     * tier), or null while unanswerable.
     */
    Map<String, List<Long>> totals(List<String> services, long from, long to, String step) {
        Map<String, List<Long>> out = new TreeMap<>();
        for (String svc : services) {
            List<Long> t = series(svc, null, from, to, step);
            if (t == null) return null;
            out.put(svc, t);
        }
        return out;
    }

    /**
     * Requests and errors of a service, or one of its routes, in the windows over [from, to): none when it is
     * unknown (404), null while unanswerable.
     */
    List<Long> series(String service, String route, long from, long to, String step) {
        Answer r = get("/api/services/" + service + "/timeseries?from=" + from + "&to=" + to + "&step=" + step
                + (route == null ? "" : "&route=" + java.net.URLEncoder.encode(route, java.nio.charset.StandardCharsets.UTF_8)));
        if (r.status() == 404) return List.of(0L, 0L);
        if (r.status() != 200) return null;
        long requests = 0;
        long errors = 0;
        for (JsonNode p : r.json().get("points")) {
            requests += p.get("requests").asLong();
            errors += p.get("errors").asLong();
        }
        return List.of(requests, errors);
    }

    /** A counter or gauge of /metrics (the sum of its series), or NaN when absent or unanswerable. */
    double metric(String name) {
        Answer r = get("/metrics");
        if (r.status() != 200) return Double.NaN;
        double sum = Double.NaN;
        for (String l : r.body().split("\n")) {
            if (l.startsWith(name + " ") || l.startsWith(name + "{")) {
                double v = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                sum = Double.isNaN(sum) ? v : sum + v;
            }
        }
        return sum;
    }

    /** What the instance holds, measured from outside: heap used after a full GC, resident memory, threads, state on disk. */
    record Footprint(long heapAfterGc, long resident, long threads, long stateDir) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "heap after GC %.1f MB, resident %.0f MB, %d threads, state dir %.1f MB",
                    heapAfterGc / 1e6, resident / 1e6, threads, stateDir / 1e6);
        }
    }

    Footprint footprint() throws Exception {
        long pid = jvm.pid();
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (gc.waitFor() != 0) throw new IllegalStateException("jcmd " + pid + " GC.run exited " + gc.exitValue());
        // jstat -gc: capacities and use of each heap space in KB; used = survivors + eden + old
        Process stat = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstat").toString(), "-gc", Long.toString(pid))
                .redirectErrorStream(true).start();
        List<String> lines = new String(stat.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        if (stat.waitFor() != 0 || lines.size() < 2) throw new IllegalStateException("jstat -gc " + pid + ": " + lines);
        List<String> names = List.of(lines.get(0).trim().split("\\s+"));
        String[] values = lines.get(1).trim().split("\\s+");
        double kb = 0;
        for (String space : List.of("S0U", "S1U", "EU", "OU")) kb += Double.parseDouble(values[names.indexOf(space)]);
        long heap = (long) (kb * 1024);
        long resident = -1;
        long threads = -1;
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (l.startsWith("VmRSS:")) resident = Long.parseLong(l.replaceAll("\\D", "")) * 1024;
            if (l.startsWith("Threads:")) threads = Long.parseLong(l.replaceAll("\\D", ""));
        }
        return new Footprint(heap, resident, threads, bytesUnder(stateDir));
    }

    /** Bytes of the files under {@code root}; files that vanish meanwhile (compactions) do not count. */
    private static long bytesUnder(Path root) throws IOException {
        long[] sum = {0};
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a) {
                sum[0] += a.size();
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return sum[0];
    }

    @Override
    public void close() throws InterruptedException {
        if (jvm != null) jvm.close();
    }
}
