package dev.burnrate.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.burnrate.app.AppConfig;
import dev.burnrate.app.AppKey;
import dev.burnrate.app.ConfigException;
import dev.burnrate.slo.SloConfig;
import dev.burnrate.slo.SloConfigException;
import dev.burnrate.slo.SloFileLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Backtest: replays access logs through the processor's own topology, without a broker, and prints the alert
 * timeline (see README, "Backtest").
 * <pre>
 * mvn -q -pl streams-app exec:java -Dexec.mainClass=dev.burnrate.backtest.Backtest \
 *     -Dexec.args="--file logs.jsonl.gz --slo config/slos.yaml"
 * </pre>
 * Exit status: 0 done; 2 bad arguments, input file not found, bad SLO or configuration file; 1 anything else
 * (a broker that cannot be read, an input that ends in the middle of a gzip stream: the timeline up to there is
 * still printed).
 */
public final class Backtest {
    static final String USAGE = """
            usage: Backtest (--file FILE | --bootstrap-server HOST:PORT --topic TOPIC --from INSTANT --to INSTANT)
                            [--slo FILE] [--config FILE] [--json] [--quiet]
              --file FILE          JSON lines, any supported convention; gzip accepted (magic bytes or .gz); - = stdin
              --bootstrap-server   read TOPIC's records with timestamps in [--from, --to) (ISO-8601 instants)
              --slo FILE           SLO file (default: slo.file of --config, else the built-in default SLO)
              --config FILE        processor configuration (lateness.grace, ingest.json.field.*, ...; Kafka client
                                   properties such as security.protocol are used for --bootstrap-server)
              --json               JSON lines (episodes, dead letters, summary) instead of the table
              --quiet              no progress lines on stderr""";

    private Backtest() {
    }

    public static void main(String[] args) {
        // before anything logs: the timeline owns stdout
        if (System.getProperty("log4j2.configurationFile") == null) System.setProperty("log4j2.configurationFile", "log4j2-backtest.xml");
        System.exit(run(args, System.out, System.err));
    }

    /** Bad usage: the message and the usage, exit 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    record Options(String file, String bootstrap, String topic, Instant from, Instant to, Path slo, Path config,
                   boolean json, boolean quiet) {
        static Options parse(String[] args) {
            String file = null;
            String bootstrap = null;
            String topic = null;
            Instant from = null;
            Instant to = null;
            Path slo = null;
            Path config = null;
            boolean json = false;
            boolean quiet = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--json" -> json = true;
                    case "--quiet" -> quiet = true;
                    case "--file", "--bootstrap-server", "--topic", "--from", "--to", "--slo", "--config" -> {
                        if (i + 1 >= args.length) throw new UsageException(a + " needs a value");
                        String v = args[++i];
                        switch (a) {
                            case "--file" -> file = v;
                            case "--bootstrap-server" -> bootstrap = v;
                            case "--topic" -> topic = v;
                            case "--from" -> from = instant(a, v);
                            case "--to" -> to = instant(a, v);
                            case "--slo" -> slo = Path.of(v);
                            default -> config = Path.of(v);
                        }
                    }
                    default -> throw new UsageException("unknown argument '" + a + "'");
                }
            }
            boolean fromTopic = bootstrap != null || topic != null || from != null || to != null;
            if (file != null && fromTopic) throw new UsageException("either --file or --bootstrap-server/--topic/--from/--to, not both");
            if (file == null && !fromTopic) throw new UsageException("no input: --file FILE, or --bootstrap-server, --topic, --from and --to");
            if (fromTopic && (bootstrap == null || topic == null || from == null || to == null)) {
                throw new UsageException("reading a topic needs --bootstrap-server, --topic, --from and --to");
            }
            if (fromTopic && !from.isBefore(to)) throw new UsageException("--from must be before --to");
            return new Options(file, bootstrap, topic, from, to, slo, config, json, quiet);
        }

        private static Instant instant(String option, String v) {
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException e) {
                throw new UsageException(option + ": not an ISO-8601 instant (e.g. 2026-03-02T00:00:00Z): '" + v + "'");
            }
        }
    }

    /** Runs a backtest; returns the exit status. The timeline goes to {@code out}, progress and errors to {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        AppConfig cfg;
        SloConfig slos;
        String sloName;
        try {
            o = Options.parse(args);
            cfg = o.config == null ? AppConfig.ofMap(Map.of()) : AppConfig.load(o.config, System.getenv());
            Path sloFile = o.slo;
            String configured = cfg.get(AppKey.SLO_FILE);
            if (sloFile == null && !configured.isBlank()) sloFile = Path.of(configured);
            slos = SloFileLoader.loadOrDefault(sloFile);
            sloName = sloFile == null ? "built-in default SLO" : sloFile.toString();
        } catch (UsageException e) {
            err.println("backtest: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (SloConfigException | ConfigException e) {
            err.println("backtest: " + e.getMessage());
            return 2;
        }

        InputSource source;
        try {
            if (o.file != null) {
                source = FileSource.open(o.file);
            } else {
                source = new TopicSource(o.bootstrap, o.topic, o.from, o.to, cfg.kafka());
            }
        } catch (NoSuchFileException e) {
            err.println("backtest: " + e.getFile() + ": " + (e.getReason() == null ? "no such file" : e.getReason()));
            return 2;
        } catch (IOException e) {
            err.println("backtest: " + o.file + ": cannot read: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("backtest: cannot read " + o.topic + " on " + o.bootstrap + ": " + e.getMessage());
            return 1;
        }

        BacktestRunner.Result r;
        try (source) {
            if (!o.quiet) err.printf(Locale.ROOT, "backtest: reading %s; SLOs: %s (%d)%n", source.name(), sloName, slos.slos().size());
            BacktestRunner.Progress progress = o.quiet ? null : (n, t, rate) -> err.printf(Locale.ROOT,
                    "backtest: %,d records, event time %s, %,.0f records/s%n", n, t == Long.MIN_VALUE ? "-" : Instant.ofEpochMilli(t), rate);
            r = new BacktestRunner(cfg, slos).run(source, progress);
            Timeline timeline = Timeline.of(r.alerts());
            if (o.json) printJson(out, source, r, timeline);
            else printTable(out, source, r, timeline, slos);
            out.flush();
            if (!o.quiet) {
                double secs = r.elapsedNanos() / 1e9;
                double cpu = r.cpuNanos() / 1e9;
                err.printf(Locale.ROOT, "backtest: %,d records in %.1fs (%,.0f records/s; %.1fs CPU, %,.0f records per CPU second)%n",
                        r.records(), secs, r.records() / Math.max(secs, 1e-9), cpu, r.records() / Math.max(cpu, 1e-9));
            }
        } catch (RuntimeException e) {
            err.println("backtest: failed: " + e);
            return 1;
        }
        if (r.inputError() != null) {
            String where = source instanceof FileSource f ? " after line " + f.linesRead() : "";
            err.println("backtest: the input ended early" + where + ": " + r.inputError() + " (the timeline above covers what was read)");
            return 1;
        }
        return 0;
    }

    private static void printTable(PrintStream out, InputSource source, BacktestRunner.Result r, Timeline timeline, SloConfig slos) {
        if (timeline.episodes().isEmpty()) out.println("no alerts");
        else timeline.table(slos, r.lastEventMs()).forEach(out::println);
        out.println();
        if (r.deadLetters() > 0) {
            String noun = source instanceof FileSource ? "lines" : "records";
            out.printf(Locale.ROOT, "Unreadable %s (dead letters): %,d%s%n", noun, r.deadLetters(),
                    r.deadLetters() > r.firstDeadLetters().size() ? ", the first " + r.firstDeadLetters().size() + ":" : ":");
            for (BacktestRunner.DeadLetter d : r.firstDeadLetters()) {
                out.printf(Locale.ROOT, "  %s: %s: %s%n", source.describe(d.position()), d.reason(), d.message());
            }
            out.println();
        }
        out.println("Summary");
        out.printf(Locale.ROOT, "  records      %,d: %,d events, %,d late (left out), %,d dead letter%s%s%n", r.records(), r.ingested(), r.late(),
                r.deadLetters(), r.deadLetters() == 1 ? "" : "s", r.deadLettersByReason().isEmpty() ? "" : " (" + join(r.deadLettersByReason()) + ")");
        if (r.lastEventMs() != Long.MIN_VALUE) {
            out.printf(Locale.ROOT, "  event time   %s .. %s (%s)%n", Instant.ofEpochMilli(r.firstEventMs()), Instant.ofEpochMilli(r.lastEventMs()),
                    Timeline.duration(r.lastEventMs() - r.firstEventMs()));
        }
        out.printf(Locale.ROOT, "  episodes     %s%n", timeline.perRule().isEmpty() ? "none" : join(timeline.perRule()));
        long pages = timeline.firings("page");
        double days = inputDays(r);
        out.printf(Locale.ROOT, "  pages/day    %s%n", days > 0
                ? String.format(Locale.ROOT, "%.2f (%d page firing%s over %.2f days of input)", pages / days, pages, pages == 1 ? "" : "s", days)
                : pages + " page firing" + (pages == 1 ? "" : "s") + " (no event-time span to divide by)");
    }

    private static void printJson(PrintStream out, InputSource source, BacktestRunner.Result r, Timeline timeline) {
        ObjectMapper m = new ObjectMapper();
        try {
            for (ObjectNode e : timeline.json(r.lastEventMs())) out.println(m.writeValueAsString(e));
            for (BacktestRunner.DeadLetter d : r.firstDeadLetters()) {
                ObjectNode o = m.createObjectNode().put("type", "dead-letter");
                source.describe(d.position(), o);
                o.put("reason", d.reason()).put("message", d.message());
                out.println(m.writeValueAsString(o));
            }
            ObjectNode s = m.createObjectNode().put("type", "summary");
            s.put("records", r.records()).put("events", r.ingested()).put("late", r.late()).put("deadLetters", r.deadLetters());
            ObjectNode reasons = s.putObject("deadLettersByReason");
            r.deadLettersByReason().forEach(reasons::put);
            if (r.lastEventMs() != Long.MIN_VALUE) {
                s.put("firstEventTime", Instant.ofEpochMilli(r.firstEventMs()).toString());
                s.put("lastEventTime", Instant.ofEpochMilli(r.lastEventMs()).toString());
            } else {
                s.putNull("firstEventTime").putNull("lastEventTime");
            }
            ObjectNode per = s.putObject("episodesPerRule");
            timeline.perRule().forEach(per::put);
            long pages = timeline.firings("page");
            double days = inputDays(r);
            s.put("pageFirings", pages).put("inputDays", days);
            if (days > 0) s.put("pagesPerDay", pages / days);
            else s.putNull("pagesPerDay");
            out.println(m.writeValueAsString(s));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double inputDays(BacktestRunner.Result r) {
        if (r.lastEventMs() == Long.MIN_VALUE) return 0;
        return (r.lastEventMs() - r.firstEventMs()) / 86_400_000.0;
    }

    private static String join(Map<String, Long> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(", ", parts);
    }
}
