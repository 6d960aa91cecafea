package dev.burnrate.bench;

import dev.burnrate.backtest.Backtest;
import dev.burnrate.demo.AccessLogJson;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Backtest speed (BENCHMARKS.md, "Backtest"): writes a gzip file of access logs with a known incident, then runs the
 * backtest command on it, as a user would, and prints its throughput. No broker.
 * <pre>
 * mvn -q install -DskipTests &amp;&amp; mvn -q -pl benchmarks exec:java -Dexec.mainClass=dev.burnrate.bench.BacktestBench \
 *     [-Dexec.args="--events 2000000 --runs 3"]
 * </pre>
 * The file: {@code --events} events (default 2,000,000) over {@code --hours} of event time (default 3), in order, round-robin over four services and
 * three routes each (ids in paths, normalized by the processor), five JSON conventions in turn; 0.1% background
 * 5xx; checkout {@code /api/pay} fails 80% from minute 60 to 90 (the incident), catalog answers 5% 504 from minute
 * 120 to 165; four bad lines (three not JSON, one without a service).
 */
public final class BacktestBench {
    static final long START_MS = 1_772_409_600_000L; // 2026-03-02T00:00:00Z
    static final int BAD_LINES = 4;
    private static final String[] SERVICES = {"checkout", "catalog", "auth", "search"};
    private static final String[][] ROUTES = {
            {"/api/pay", "/api/cart", "/api/orders/%d"}, {"/products/%d", "/products", "/categories/%d"},
            {"/login", "/token", "/logout"}, {"/search", "/suggest", "/search/%d"}};
    private static final String[] METHODS = {"GET", "POST", "GET", "GET"};
    private static final Pattern FIGURES = Pattern.compile("backtest: ([\\d,]+) records in [\\d.]+s \\(([\\d,]+) records/s;[^)]*\\)");

    static {
        // as Backtest.main: Kafka's own log lines stay out of the figures
        if (System.getProperty("log4j2.configurationFile") == null) System.setProperty("log4j2.configurationFile", "log4j2-backtest.xml");
    }

    private BacktestBench() {
    }

    public static void main(String[] args) throws IOException {
        long events = 2_000_000;
        int runs = 3;
        int hours = 3;
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[++i].replace("_", ""));
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--hours" -> hours = Integer.parseInt(args[++i]);
                case "--file" -> file = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: BacktestBench [--events N] [--hours H] [--runs R] [--file OUT.jsonl.gz (kept)]");
                    System.exit(2);
                }
            }
        }
        boolean keep = file != null;
        if (file == null) file = Files.createTempFile("burnrate-backtest-bench", ".jsonl.gz");
        try {
            long t0 = System.nanoTime();
            write(file, events, hours);
            System.out.printf(Locale.ROOT, "input: %,d lines (%,d events over %d hours + %d bad), %,d bytes gzip, written in %.1fs%n",
                    events + BAD_LINES, events, hours, BAD_LINES, Files.size(file), (System.nanoTime() - t0) / 1e9);
            List<Double> rates = new ArrayList<>();
            for (int r = 1; r <= runs; r++) {
                Run run = run(file);
                if (r == 1) System.out.print(run.timeline);
                System.out.printf(Locale.ROOT, "run %d%s: %s%n", r, r == 1 ? " (cold JVM, as the command)" : " (warm JIT)", run.figures);
                rates.add(run.recordsPerSecond);
            }
            System.out.printf(Locale.ROOT, "backtest: first run %,.0f records/s; best %,.0f%n", rates.get(0),
                    rates.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        } finally {
            if (!keep) Files.deleteIfExists(file);
        }
    }

    record Run(String timeline, String figures, double recordsPerSecond) {
    }

    /** One backtest of the file in this JVM (each run builds its pipeline anew; the JIT is warm after the first); throws unless it exits 0. */
    static Run run(Path file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Backtest.run(new String[] {"--file", file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String errText = err.toString(StandardCharsets.UTF_8);
        Matcher m = FIGURES.matcher(errText);
        if (exit != 0 || !m.find()) throw new IllegalStateException("backtest failed (exit " + exit + "): " + errText);
        return new Run(out.toString(StandardCharsets.UTF_8), m.group(0).substring("backtest: ".length()),
                Double.parseDouble(m.group(2).replace(",", "")));
    }

    /** Writes the file described in the class comment (deterministic for a given number of events). */
    static void write(Path file, long events, int hours) throws IOException {
        long spanMs = hours * 3_600_000L;
        SplittableRandom random = new SplittableRandom(7);
        AccessLogJson[] conventions = AccessLogJson.values();
        try (OutputStream o = new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(file), 1 << 16), 1 << 16)) {
            for (long i = 0; i < events; i++) {
                long ts = START_MS + i * spanMs / events;
                int s = (int) (i % SERVICES.length);
                String template = ROUTES[s][(int) (i / SERVICES.length % 3)];
                String path = template.contains("%d") ? String.format(Locale.ROOT, template, i % 997) : template;
                double minute = (ts - START_MS) / 60_000.0;
                int status = random.nextDouble() < 0.001 ? 500 : 200;
                if (s == 0 && template.equals("/api/pay") && minute >= 60 && minute < 90 && random.nextDouble() < 0.8) {
                    status = random.nextDouble() < 0.9 ? 503 : 500;
                }
                if (s == 1 && minute >= 120 && minute < 165 && random.nextDouble() < 0.05) status = 504;
                o.write(conventions[(int) (i % conventions.length)].bytes(ts, SERVICES[s], path, METHODS[(int) (i % METHODS.length)],
                        status, 5 + random.nextDouble() * 40));
                o.write('\n');
                if (i == events / 1000 || i == events / 8 || i == events * 9 / 20) o.write("GET /api/pay HTTP/1.1 200\n".getBytes(StandardCharsets.US_ASCII));
                if (i == events / 4) o.write(String.format(Locale.ROOT, "{\"timestamp\":%d,\"route\":\"/x\",\"status\":200}%n", ts).getBytes(StandardCharsets.US_ASCII));
            }
        }
    }
}
