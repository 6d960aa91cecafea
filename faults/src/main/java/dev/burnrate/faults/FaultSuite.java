package dev.burnrate.faults;

import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The fault harness (RELIABILITY.md): a real KRaft broker and processor instances in separate JVMs, traffic with
 * incidents, and scripted faults; after each scenario every alert transition on the alerts topic is compared with the
 * backtest of the same input, and the windows' request totals with the input's.
 *
 * <pre>
 *   mvn -q install -DskipTests &amp;&amp; mvn -q -pl faults exec:java [-Dexec.args="--scenarios kill,failover --kills 10"]
 * </pre>
 * Options: {@code --scenarios} (kill, failover, rebalance, hostile, scanner, api, broker; default all; run in that
 * order), {@code --kills N} (10), {@code --hostile N} (10000), {@code --scanner N} requests for random URLs (1000000),
 * {@code --slow-clients N} connections of the API abuse (500), {@code --hours H} of traffic (4), {@code --step MS}
 * per service (250), {@code --rate R} records/s of the good traffic (1200), {@code --seed S}, {@code --dir D} (logs
 * and data; default a temp dir), {@code --set key=value} (a processor setting for every instance, repeatable),
 * {@code --broker-faults N} (rounds of a broker restart and a broker kill -9; 1), {@code --no-broker-kill} (restarts
 * only), {@code --rebalance 1,2,3,1} (the instance counts the rebalance scenario goes through), {@code --rebalances N}
 * (times it goes through them; 1). Exit code 0 when every check passed.
 */
public final class FaultSuite {
    /** In this order: the broker scenario last, as it restarts and kills the broker all scenarios share. */
    static final List<String> ALL = List.of("kill", "failover", "rebalance", "hostile", "scanner", "api", "broker");
    /**
     * ALL, and "short": one kill, one rebalance, one broker restart, the hostile records, a scanner's (--scanner) and
     * the API's token and bad-input checks on one traffic (the test's).
     */
    static final List<String> KNOWN = List.of("kill", "failover", "rebalance", "hostile", "scanner", "api", "broker", "short");

    /** The scenarios' sizes. The short suite in the tests runs the same code with small ones. */
    record Options(Set<String> scenarios, int kills, int hostile, int scanner, int slowClients, int hours, long stepMs, int rate, long seed,
                   Path dir, Map<String, String> set, boolean brokerKill, int brokerFaults, List<Integer> rebalance, int rebalances) {
        static Options parse(String[] args) throws Exception {
            List<String> scenarios = ALL;
            int kills = 10;
            int hostile = 10_000;
            int scanner = 1_000_000;
            int slowClients = 500;
            int brokerFaults = 1;
            int rebalances = 1;
            int hours = 4;
            long step = 250;
            int rate = 1200;
            long seed = System.currentTimeMillis();
            Path dir = null;
            Map<String, String> set = new LinkedHashMap<>();
            boolean brokerKill = true;
            List<Integer> rebalance = List.of(1, 2, 3, 1);
            for (int i = 0; i < args.length; i++) {
                String v = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--scenarios" -> scenarios = Arrays.asList(v.split(","));
                    case "--kills" -> kills = Integer.parseInt(v);
                    case "--hostile" -> hostile = Integer.parseInt(v);
                    case "--scanner" -> scanner = Integer.parseInt(v);
                    case "--slow-clients" -> slowClients = Integer.parseInt(v);
                    case "--broker-faults" -> brokerFaults = Integer.parseInt(v);
                    case "--rebalances" -> rebalances = Integer.parseInt(v);
                    case "--hours" -> hours = Integer.parseInt(v);
                    case "--step" -> step = Long.parseLong(v);
                    case "--rate" -> rate = Integer.parseInt(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--dir" -> dir = Path.of(v);
                    case "--no-broker-kill" -> {
                        brokerKill = false;
                        i--;
                    }
                    case "--rebalance" -> rebalance = Arrays.stream(v.split(",")).map(Integer::valueOf).toList();
                    case "--set" -> set.put(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            if (!KNOWN.containsAll(scenarios)) throw new IllegalArgumentException("scenarios are " + KNOWN + ", got " + scenarios);
            List<String> chosen = scenarios;
            return new Options(new LinkedHashSet<>(KNOWN.stream().filter(chosen::contains).toList()), kills, hostile, scanner, slowClients,
                    hours, step, rate, seed, dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("faults"), set, brokerKill,
                    brokerFaults, rebalance, rebalances);
        }
    }

    private FaultSuite() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        List<Result> results = run(o, System.out);
        System.exit(results.stream().allMatch(Result::ok) ? 0 : 1);
    }

    static List<Result> run(Options o, PrintStream out) throws Exception {
        // this JVM's own Kafka clients (admin, producer, backtest) ride out the faults: only their errors are news
        if (System.getProperty("log4j2.configurationFile") == null) System.setProperty("log4j2.configurationFile", "log4j2-faults.xml");
        out.printf("fault suite %s on %s, %d cores, load average %s; scenarios %s; seed %d; logs under %s%n", Instant.now(),
                InetAddress.getLocalHost().getHostName(), Runtime.getRuntime().availableProcessors(), loadAverage(), o.scenarios(), o.seed(), o.dir());
        List<Result> results = new ArrayList<>();
        try (Broker broker = Broker.start(Files.createDirectories(o.dir().resolve("broker")))) {
            Scenarios s = new Scenarios(o, broker, new Random(o.seed()), out);
            for (String name : o.scenarios()) {
                Result r;
                try {
                    r = switch (name) {
                        case "kill" -> s.kills(1);
                        case "failover" -> s.kills(2);
                        case "rebalance" -> s.rebalance();
                        case "broker" -> s.broker();
                        case "hostile" -> s.hostile();
                        case "scanner" -> s.scanner();
                        case "api" -> s.api();
                        case "short" -> s.combined();
                        default -> throw new IllegalArgumentException(name);
                    };
                } catch (Exception e) {
                    r = Result.failed(name, e);
                }
                r.figures().put("machine load (1-minute load average) at the end", loadAverage());
                out.println(r.report());
                results.add(r);
            }
        }
        out.println("\nsummary:");
        results.forEach(r -> out.println("  " + (r.ok() ? "PASS " : "FAIL ") + r.name() + ": " + r.headline()));
        return results;
    }

    /** The machine's 1-minute load average (other processes share it: figures move with it), or "?" off Linux. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /** One scenario's outcome: its figures in order, and the checks that failed. */
    record Result(String name, Map<String, Object> figures, List<String> failures) {
        static Result failed(String name, Exception e) {
            Map<String, Object> f = new LinkedHashMap<>();
            return new Result(name, f, List.of("aborted: " + e));
        }

        boolean ok() {
            return failures.isEmpty();
        }

        String headline() {
            return ok() ? figures.toString() : failures.toString();
        }

        String report() {
            StringBuilder b = new StringBuilder("\n== " + name + (ok() ? ": PASS" : ": FAIL") + "\n");
            figures.forEach((k, v) -> b.append("  ").append(k).append(": ").append(v).append('\n'));
            failures.forEach(f -> b.append("  FAILED ").append(f).append('\n'));
            return b.toString();
        }
    }
}
