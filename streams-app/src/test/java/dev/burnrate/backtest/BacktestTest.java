package dev.burnrate.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.burnrate.demo.AccessLogJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backtest over a generated log file with a known incident, the traffic of PipelineTopologyTest: 2 requests/s
 * on checkout /api/pay from S; from T0 (a healthy hour later) to T1 = T0+50m every 10th request is a 503 (exactly
 * 10% in every 10s bucket); the file ends at T0+80m. Default SLO 99.5% (budget 0.005). The lines rotate through
 * the shippers' JSON conventions, and a few lines are bad.
 */
class BacktestTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long S = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    static final long MIN = 60_000;
    static final long T0 = S + 60 * MIN;
    static final long T1 = T0 + 50 * MIN;
    static final long END = T0 + 80 * MIN;
    static final long LAST_EVENT = END - 500;

    @TempDir
    static Path dir;
    static byte[] content;
    static int events;

    /** Where the bad lines are (1-based line numbers). */
    static final long NOT_JSON_LINE = 10;
    static final long NO_STATUS_LINE = 501;
    static final long BLANK_LINE = 2000;
    static final long LATE_LINE = 3000;

    @BeforeAll
    static void writeLogs() {
        StringBuilder b = new StringBuilder();
        AccessLogJson[] conventions = AccessLogJson.values();
        long line = 0;
        int n = 0;
        for (long ts = S; ts < END; ts += 500) {
            line++;
            if (line == NOT_JSON_LINE) {
                b.append("GET /api/pay 200 - this is not JSON\n");
                line++;
            } else if (line == NO_STATUS_LINE) {
                b.append("{\"timestamp\":").append(ts).append(",\"service\":\"checkout\",\"route\":\"/api/pay\"}\n");
                line++;
            } else if (line == BLANK_LINE) {
                b.append("   \n");
                line++;
            } else if (line == LATE_LINE) {
                // five minutes behind the newest event, beyond the 2m grace: counted as late, left out
                b.append("{\"timestamp\":").append(ts - 5 * MIN).append(",\"service\":\"checkout\",\"route\":\"/api/pay\",\"status\":503}\n");
                line++;
            }
            boolean incident = ts >= T0 && ts < T1;
            int status = incident && (ts / 500) % 10 == 0 ? 503 : 200;
            b.append(new String(conventions[n % conventions.length].bytes(ts, "checkout", "/api/pay", "GET", status, 12), StandardCharsets.UTF_8)).append('\n');
            n++;
        }
        content = b.toString().getBytes(StandardCharsets.UTF_8);
        events = n;
    }

    record Run(int exit, String out, String err) {
        List<String> lines() {
            return Arrays.asList(out.split("\n"));
        }
    }

    static Run backtest(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Backtest.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Path write(String name, boolean gzip) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream o = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            o.write(content);
        }
        return p;
    }

    /** Evaluation at the 10 s instants only, as the hand-computed instants below assume (early evaluation: its own test). */
    static Path grid() throws IOException {
        return Files.writeString(dir.resolve("grid.properties"), "evaluation.early.step=10s\n");
    }

    static String at(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }

    /** The table's cells: columns are separated by at least two spaces. */
    static List<String> cells(String row) {
        return Arrays.asList(row.trim().split(" {2,}"));
    }

    // Windows are exact at their recent end: x s into the incident (x a multiple of 10) every window holds x/5
    // errors; a window reaching back to S holds 2(3600 + x) requests.
    // fast-burn (0.072): 5m = 60/600 from T0+220s; 1h = 7200 requests, x/5 > 518.4 -> T0+2600s. Evidence then:
    // 1h = 520/7200 -> 14.4x, 5m = 20x. Resolves when the 5m window holds <= 43 errors after the incident: T1+90s.
    static final List<String> FAST = List.of(at(T0 + 2600_000), at(T1 + 90_000), "8m10s", "page",
            "availability/fast-burn/service=checkout", "1h 14.4x, 5m 20.0x (> 14.4x); top route /api/pay (60 errors); dominant 503 (100%)");
    // slow-burn (0.03): 30m needs x/5 > 108 -> x >= 550; 6h (back to S) x/5 > 0.06(3600 + x) -> x > 1542.9 ->
    // T0+1550s. Evidence then: 6h = 310/10300 -> 6.0x, 30m = 310/3600 -> 17.2x. Resolves when the 30m window holds
    // <= 108 errors: at T1+1250s its old end cuts a minute bucket and 1/6 of its 12 errors count (110), at T1+21m 108.
    static final List<String> SLOW = List.of(at(T0 + 1550_000), at(T1 + 21 * MIN), "45m10s", "page",
            "availability/slow-burn/service=checkout", "6h 6.0x, 30m 17.2x (> 6x); top route /api/pay (310 errors); dominant 503 (100%)");
    // ticket rules: both windows reach back to S. ticket-quick (0.015): 0.17x > 108 -> T0+640s, 128/8480 -> 3.0x.
    // ticket-slow (0.005): 0.19x > 36 -> T0+190s, 38/7580 -> 1.0x. Both still fire when the file ends (the 2h window
    // then holds 600 errors in 16,799 requests).
    static final List<String> TICKET_QUICK = List.of(at(T0 + 640_000), "still firing at " + at(LAST_EVENT), ">1h9m19s", "ticket",
            "availability/ticket-quick/service=checkout", "1d 3.0x, 2h 3.0x (> 3x); top route /api/pay (128 errors); dominant 503 (100%)");
    static final List<String> TICKET_SLOW = List.of(at(T0 + 190_000), "still firing at " + at(LAST_EVENT), ">1h16m49s", "ticket",
            "availability/ticket-slow/service=checkout", "3d 1.0x, 6h 1.0x (> 1x); top route /api/pay (38 errors); dominant 503 (100%)");

    @Test
    void tablePrintsEachEpisodeWithHandComputedInstantsEvidenceDeadLettersAndSummary() throws IOException {
        Run r = backtest("--file", write("logs.jsonl", false).toString(), "--config", grid().toString(), "--quiet");
        assertEquals(0, r.exit, r.err);
        assertEquals("", r.err, "--quiet: nothing on stderr");
        List<String> lines = r.lines();
        assertEquals(List.of("FIRED (event time)", "RESOLVED (event time)", "FOR", "SEVERITY", "ALERT", "EVIDENCE AT FIRING"), cells(lines.get(0)));
        // in firing order
        assertEquals(TICKET_SLOW, cells(lines.get(1)));
        assertEquals(TICKET_QUICK, cells(lines.get(2)));
        assertEquals(SLOW, cells(lines.get(3)));
        assertEquals(FAST, cells(lines.get(4)));
        assertEquals("", lines.get(5));

        List<String> rest = lines.subList(6, lines.size());
        assertEquals("Unreadable lines (dead letters): 2:", rest.get(0));
        assertEquals("  line " + NOT_JSON_LINE + ": undecodable: neither a JSON object, an OTLP batch nor Confluent-framed Avro (first byte 0x47)", rest.get(1));
        assertTrue(rest.get(2).startsWith("  line " + NO_STATUS_LINE + ": missing-status: no status"), rest.get(2));
        assertEquals("", rest.get(3));
        assertEquals("Summary", rest.get(4));
        // records: the events, the two dead letters and the late one; the blank line is no record
        assertEquals(String.format(Locale.ROOT, "  records      %,d: %,d events, 1 late (left out), 2 dead letters (missing-status=1, undecodable=1)",
                events + 3, events), rest.get(5).replace("undecodable=1, missing-status=1", "missing-status=1, undecodable=1"));
        assertEquals("  event time   " + at(S) + " .. " + at(LAST_EVENT) + " (2h19m59s)", rest.get(6));
        assertEquals("  episodes     availability/fast-burn=1, availability/slow-burn=1, availability/ticket-quick=1, availability/ticket-slow=1", rest.get(7));
        double days = (LAST_EVENT - S) / 86_400_000.0;
        assertEquals(String.format(Locale.ROOT, "  pages/day    %.2f (2 page firings over %.2f days of input)", 2 / days, days), rest.get(8));
        assertEquals(9, rest.size(), rest.toString());
    }

    @Test
    void jsonLinesCarryTheSameEpisodesTheDeadLettersWithLineNumbersAndTheSummary() throws IOException {
        Run r = backtest("--file", write("logs-json.jsonl", false).toString(), "--config", grid().toString(), "--json", "--quiet");
        assertEquals(0, r.exit, r.err);
        List<JsonNode> lines = new ArrayList<>();
        for (String l : r.lines()) lines.add(JSON.readTree(l));
        assertEquals(4 + 2 + 1, lines.size(), r.out);

        JsonNode slow = lines.get(2);
        assertEquals("episode", slow.get("type").asText());
        assertEquals("availability/slow-burn/service=checkout", slow.get("id").asText());
        assertEquals("page", slow.get("severity").asText());
        assertEquals(at(T0 + 1550_000), slow.get("firedAt").asText());
        assertEquals(at(T1 + 21 * MIN), slow.get("resolvedAt").asText());
        assertTrue(slow.get("stillFiringAt").isNull());

        JsonNode fast = lines.get(3);
        assertEquals("availability/fast-burn/service=checkout", fast.get("id").asText());
        assertEquals("availability", fast.get("slo").asText());
        assertEquals("fast-burn", fast.get("rule").asText());
        assertEquals("checkout", fast.get("service").asText());
        assertEquals(at(T0 + 2600_000), fast.get("firedAt").asText());
        assertEquals(at(T0 + 2600_000), fast.get("startsAt").asText());
        assertEquals(at(T1 + 90_000), fast.get("resolvedAt").asText());
        JsonNode windows = fast.get("evidence").get("windows");
        assertEquals("1h", windows.get(0).get("window").asText());
        assertEquals(7200, windows.get(0).get("requests").asLong());
        assertEquals(520, windows.get(0).get("errors").asLong());
        assertEquals(520 / 7200.0 / 0.005, windows.get(0).get("burnRate").asDouble(), 1e-9);
        assertEquals(600, windows.get(1).get("requests").asLong());
        assertEquals(20.0, windows.get(1).get("burnRate").asDouble(), 1e-9);
        assertEquals("/api/pay", fast.get("evidence").get("topRoutes").get(0).get("route").asText());
        assertEquals(503, fast.get("evidence").get("topStatusCodes").get(0).get("code").asInt());
        assertTrue(fast.get("summary").asText().startsWith("checkout: availability fast-burn (page) firing"), fast.get("summary").asText());

        for (int i : new int[]{0, 1}) {
            JsonNode t = lines.get(i);
            assertEquals(at(T0 + (i == 0 ? 190_000 : 640_000)), t.get("firedAt").asText());
            assertTrue(t.get("resolvedAt").isNull());
            assertEquals(at(LAST_EVENT), t.get("stillFiringAt").asText());
        }
        assertEquals("availability/ticket-slow/service=checkout", lines.get(0).get("id").asText());
        assertEquals("availability/ticket-quick/service=checkout", lines.get(1).get("id").asText());

        JsonNode dl1 = lines.get(4);
        assertEquals("dead-letter", dl1.get("type").asText());
        assertEquals(NOT_JSON_LINE, dl1.get("line").asLong());
        assertEquals("undecodable", dl1.get("reason").asText());
        assertEquals(NO_STATUS_LINE, lines.get(5).get("line").asLong());
        assertEquals("missing-status", lines.get(5).get("reason").asText());

        JsonNode s = lines.get(6);
        assertEquals("summary", s.get("type").asText());
        assertEquals(events + 3, s.get("records").asLong());
        assertEquals(events, s.get("events").asLong());
        assertEquals(1, s.get("late").asLong());
        assertEquals(2, s.get("deadLetters").asLong());
        assertEquals(1, s.get("deadLettersByReason").get("undecodable").asLong());
        assertEquals(1, s.get("deadLettersByReason").get("missing-status").asLong());
        assertEquals(at(S), s.get("firstEventTime").asText());
        assertEquals(at(LAST_EVENT), s.get("lastEventTime").asText());
        assertEquals(1, s.get("episodesPerRule").get("availability/fast-burn").asLong());
        assertEquals(2, s.get("pageFirings").asLong());
        assertEquals(2 / ((LAST_EVENT - S) / 86_400_000.0), s.get("pagesPerDay").asDouble(), 1e-9);
    }

    @Test
    void gzipIsRecognizedByItsMagicBytesOrItsNameAndGivesTheSameOutput() throws IOException {
        String plain = backtest("--file", write("plain.jsonl", false).toString(), "--json", "--quiet").out;
        Run gz = backtest("--file", write("logs.jsonl.gz", true).toString(), "--json", "--quiet");
        assertEquals(0, gz.exit, gz.err);
        assertEquals(plain, gz.out);
        Run magic = backtest("--file", write("compressed-without-suffix.log", true).toString(), "--json", "--quiet");
        assertEquals(plain, magic.out);
    }

    @Test
    void progressAndThroughputGoToStderr() throws IOException {
        Run r = backtest("--file", write("progress.jsonl", false).toString());
        assertEquals(0, r.exit);
        assertTrue(r.err.contains("backtest: reading "), r.err);
        assertTrue(r.err.matches("(?s).*backtest: [0-9,]+ records in [0-9.]+s \\([0-9,]+ records/s.*"), r.err);
        assertTrue(r.out.startsWith("FIRED (event time)"), "stdout is only the timeline: " + r.out);
    }

    @Test
    void aTruncatedGzipFilePrintsTheTimelineOfWhatWasReadAndExits1() throws IOException {
        byte[] gz = Files.readAllBytes(write("whole.jsonl.gz", true));
        Path cut = dir.resolve("cut.jsonl.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length * 3 / 4));
        Run r = backtest("--file", cut.toString(), "--quiet");
        assertEquals(1, r.exit);
        assertTrue(r.err.matches("backtest: the input ended early after line \\d+: .*\\(the timeline above covers what was read\\)\n"), r.err);
        assertTrue(r.out.startsWith("FIRED (event time)"), r.out);
        assertTrue(r.out.contains("Summary"), r.out);
    }

    @Test
    void missingFileIsOneLineAndExit2() {
        Path missing = dir.resolve("no-such-logs.jsonl.gz");
        Run r = backtest("--file", missing.toString());
        assertEquals(2, r.exit);
        assertEquals("backtest: " + missing + ": no such file\n", r.err);
        assertEquals("", r.out);
    }

    @Test
    void badSloFileNamesFileLineAndKeyAndExits2() throws IOException {
        Path slo = dir.resolve("bad-slos.yaml");
        Files.writeString(slo, "slos:\n  - name: checkout\n    objective: 100.5\n");
        Run r = backtest("--file", write("for-bad-slo.jsonl", false).toString(), "--slo", slo.toString());
        assertEquals(2, r.exit);
        assertEquals("backtest: " + slo + ":3: slos[0].objective: must be between 0 and 100 (exclusive), got 100.5\n", r.err);
        assertEquals("", r.out);

        Run missing = backtest("--file", "whatever.jsonl", "--slo", dir.resolve("none.yaml").toString());
        assertEquals(2, missing.exit);
        assertTrue(missing.err.startsWith("backtest: " + dir.resolve("none.yaml") + ": SLO file not found"), missing.err);
    }

    @Test
    void sloFileIsUsed() throws IOException {
        // a stricter objective and a threshold rule: at 99.9% fast-burn trips above 1.44%, so it fires as soon as the
        // 1h window holds more than 103.68 of 7200 requests as errors (x/5 errors x s in: T0+520s), the 5m window
        // being at 10% from T0+10s on
        Path slo = dir.resolve("strict.yaml");
        Files.writeString(slo, """
                slos:
                  - name: strict
                    objective: 99.9
                    rules:
                      - {name: fast-burn, severity: page, burnRate: 14.4, longWindow: 1h, shortWindow: 5m}
                      - {name: errors, severity: critical, errorRate: 5%, window: 5m, for: 2m}
                """);
        Run r = backtest("--file", write("strict.jsonl", false).toString(), "--slo", slo.toString(), "--config", grid().toString(), "--quiet");
        assertEquals(0, r.exit, r.err);
        List<String> rows = r.lines();
        // threshold rule: the 5m window (10s buckets) is above 5% once it holds > 15 incident buckets (T0+160s),
        // pending from then, firing 2m later (T0+280s); its evidence is the error ratio against the threshold: at
        // T0+280s the 5m window [T0-20s, T0+280s) holds 28 incident buckets, 56 errors / 600 requests
        List<String> errors = cells(rows.get(1));
        assertEquals("strict/errors/service=checkout", errors.get(4));
        assertEquals(at(T0 + 280_000), errors.get(0));
        assertEquals("critical", errors.get(3));
        assertEquals("strict/fast-burn/service=checkout", cells(rows.get(2)).get(4));
        assertEquals(at(T0 + 520_000), cells(rows.get(2)).get(0));
        assertEquals("5m 9.33% (> 5%); top route /api/pay (56 errors); dominant 503 (100%)", errors.get(5));
    }

    @Test
    void budgetAndNoTrafficRulesArePrintedLikeTheOthers() throws IOException {
        // a budget rule on the incident file: the 30d period so far holds everything since S (an hour boundary). At
        // T0+k*10s: 20(360+k) requests, 2k errors; overspent (< 0% left) <=> 2k > 0.005 * 20(360+k) <=> k >= 19.
        // Evidence at T0+190s: 38 / 7580 = 0.501% -> 1.0026x -> -0.26% left. Errors stay in the period: still firing.
        Path budget = dir.resolve("budget.yaml");
        Files.writeString(budget, """
                slos:
                  - name: monthly
                    objective: 99.5
                    rules:
                      - {name: budget-exhausted, severity: page, remainingBudgetBelow: 0%}
                """);
        Run r = backtest("--file", write("budget.jsonl", false).toString(), "--slo", budget.toString(), "--config", grid().toString(), "--quiet");
        assertEquals(0, r.exit, r.err);
        assertEquals(List.of(at(T0 + 190_000), "still firing at " + at(LAST_EVENT), ">1h16m49s", "page", "monthly/budget-exhausted/service=checkout",
                "30d -0.26% budget left (< 0%); top route /api/pay (38 errors); dominant 503 (100%)"), cells(r.lines().get(1)));

        // no-traffic: gateway sends 1 request/s for 30m; worker too, but nothing in [S+10m, S+20m). Its last bucket
        // starts at S+9m50s, so the 5m window is empty from S+15m; its first bucket back (S+20m) is in the window at
        // S+20m10s. The gateway never goes quiet.
        StringBuilder logs = new StringBuilder();
        for (long ts = S; ts < S + 30 * MIN; ts += 1000) {
            logs.append("{\"timestamp\":").append(ts).append(",\"service\":\"gateway\",\"route\":\"/v1/infer\",\"status\":200}\n");
            if (ts < S + 10 * MIN || ts >= S + 20 * MIN) {
                logs.append("{\"timestamp\":").append(ts).append(",\"service\":\"worker\",\"route\":\"/jobs\",\"status\":200}\n");
            }
        }
        Path quiet = dir.resolve("quiet.jsonl");
        Files.writeString(quiet, logs);
        Path traffic = dir.resolve("traffic.yaml");
        Files.writeString(traffic, """
                slos:
                  - name: traffic
                    objective: 99.5
                    rules:
                      - {name: no-traffic, severity: page, noTrafficFor: 5m}
                """);
        Run q = backtest("--file", quiet.toString(), "--slo", traffic.toString(), "--quiet");
        assertEquals(0, q.exit, q.err);
        assertEquals(List.of(at(S + 15 * MIN), at(S + 20 * MIN + 10_000), "5m10s", "page", "traffic/no-traffic/service=worker",
                "5m no requests"), cells(q.lines().get(1)));
        assertEquals("", q.lines().get(2), "one episode: " + q.out);
    }

    @Test
    void latencyAlertsArePrintedLikeTheOthers() throws IOException {
        // 20 requests per 10s, 18 with a duration: 287ms (not slower than the threshold), 287.5ms for 2 of them
        // in [S+10m, S+20m). The 5m window holds 540 timed requests; slow ones 2k at k buckets into the incident:
        // 2k > 27 <=> k >= 14 (S+12m20s, 28 / 540 = 5.19%); after it, 2(30 - j) <= 27 <=> j >= 17 (S+22m50s)
        StringBuilder logs = new StringBuilder();
        for (long bucket = S; bucket < S + 30 * MIN; bucket += 10_000) {
            for (int i = 0; i < 20; i++) {
                long ts = bucket + i * 500L;
                boolean incident = ts >= S + 10 * MIN && ts < S + 20 * MIN;
                String duration = i == 3 || i == 13 ? "" : ",\"duration_ms\":" + (i % 10 == 0 && incident ? "287.5" : i % 10 == 0 ? "287" : "40");
                logs.append("{\"timestamp\":").append(ts).append(",\"service\":\"gateway\",\"route\":\"/v1/infer\",\"status\":200")
                        .append(duration).append("}\n");
            }
        }
        Path file = dir.resolve("latency.jsonl");
        Files.writeString(file, logs);
        Path slo = dir.resolve("latency.yaml");
        Files.writeString(slo, """
                slos:
                  - name: infer-latency
                    objective: 99.5
                    latency: {threshold: 287ms}
                    rules:
                      - {name: slow, severity: page, errorRate: 5%, window: 5m}
                """);
        Run r = backtest("--file", file.toString(), "--slo", slo.toString(), "--config", grid().toString(), "--quiet");
        assertEquals(0, r.exit, r.err);
        assertEquals(List.of(at(S + 12 * MIN + 20_000), at(S + 22 * MIN + 50_000), "10m30s", "page", "infer-latency/slow/service=gateway",
                "5m 5.19% (> 5%); top route /v1/infer (28 errors)"), cells(r.lines().get(1)));
    }

    @Test
    void badArgumentsPrintUsageAndExit2() {
        Run r = backtest("--file");
        assertEquals(2, r.exit);
        assertTrue(r.err.startsWith("backtest: --file needs a value\nusage: Backtest"), r.err);
        Run both = backtest("--file", "x", "--topic", "t");
        assertEquals(2, both.exit);
        Run range = backtest("--bootstrap-server", "h:9092", "--topic", "t", "--from", "2026-03-02T00:00:00Z", "--to", "yesterday");
        assertEquals(2, range.exit);
        assertTrue(range.err.startsWith("backtest: --to: not an ISO-8601 instant"), range.err);
    }
}
