package dev.burnrate.faults;

import dev.burnrate.app.AppKey;
import dev.burnrate.ingest.DeadLetters;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The scenarios: each builds a {@link Run}, injects its faults while traffic flows, and checks the outcome. */
final class Scenarios {
    private final FaultSuite.Options o;
    private final Broker broker;
    private final Random rnd;
    private final PrintStream out;

    Scenarios(FaultSuite.Options o, Broker broker, Random rnd, PrintStream out) {
        this.o = o;
        this.broker = broker;
        this.rnd = rnd;
        this.out = out;
    }

    /**
     * kill -9 of an instance at random moments while traffic flows. With one instance it is restarted at once (a
     * supervisor's restart); with two, the survivor must take over, then the killed one comes back.
     */
    FaultSuite.Result kills(int instances) throws Exception {
        String name = instances == 1 ? "kill" : "failover";
        Traffic t = Traffic.generate(o.hours(), o.stepMs(), Run.PARTITIONS);
        Map<String, Object> f = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        try (Run run = new Run(name, broker, o.dir(), t, o.set(), instances)) {
            for (Instance i : run.slots) run.startReady(i);
            run.feed(Traffic.Extra.of(List.of()), o.rate());
            List<Long> resume = new ArrayList<>();
            List<Long> blackout = new ArrayList<>();
            List<Long> ready = new ArrayList<>();
            List<Long> stalls = new ArrayList<>();
            for (int k = 0; k < o.kills(); k++) {
                // each kill has its stretch of the traffic, and lands at a random moment in its first 70%
                double from = (double) k / (o.kills() + 1);
                double to = (double) (k + 1) / (o.kills() + 1);
                run.feed().allowUpTo(to);
                double at = from + (to - from) * (0.1 + 0.6 * rnd.nextDouble());
                Waits.until("traffic at " + at, 600, () -> run.feed().progress() >= at, () -> "");
                Instance victim = run.alive().get(rnd.nextInt(run.alive().size()));
                double killedAt = run.feed().progress();
                run.stalls().take();
                Run.Mark mark = run.mark(victim::kill);
                if (instances == 1) victim.start(Map.of()); // restarted at once, as a supervisor would
                Run.Recovery r = run.recover(mark, 120);
                if (instances > 1) victim.start(Map.of());
                long readyMs = run.awaitReady(victim);
                long stall = run.stalls().take();
                stalls.add(stall);
                resume.add(r.resumeMs());
                blackout.add(r.blackoutMs());
                ready.add(readyMs);
                out.printf("  %s %d: %s killed at %.0f%% of the traffic; every partition processing again after %d ms, evaluation past "
                        + "its pre-kill point after %d ms; the %s instance ready %d ms after its start; longest stall of a partition %d ms%n",
                        name, k + 1, victim.name, killedAt * 100, r.resumeMs(), r.blackoutMs(), instances == 1 ? "restarted" : "killed",
                        readyMs, stall);
                if (r.resumeMs() < 0 || r.blackoutMs() < 0) failures.add("kill " + (k + 1) + ": no recovery within 120s");
            }
            run.feed().allowUpTo(1);
            f.put("instances", instances);
            f.put("kills", o.kills());
            f.put("processing again after kill, ms (every partition)", Stats.of(resume));
            f.put("alert blackout per kill, ms (evaluation back past the kill point)", Stats.of(blackout));
            f.put(instances == 1 ? "restarted instance ready, ms from its start" : "killed instance back and ready, ms from its start", Stats.of(ready));
            f.put("longest stall of a partition per kill (records waiting, offset not moving), ms", Stats.of(stalls));
            outcome(run, f, failures);
        }
        return new FaultSuite.Result(name, f, failures);
    }

    /**
     * Instances come and go while traffic flows (by default 1 -> 2 -> 3 -> 1: new instances start, then two stop
     * with SIGTERM), every instance's query API asked all the while: a complete answer or 503 with Retry-After,
     * never a partial one.
     */
    FaultSuite.Result rebalance() throws Exception {
        Traffic t = Traffic.generate(o.hours(), o.stepMs(), Run.PARTITIONS);
        Map<String, Object> f = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        List<Integer> counts = new ArrayList<>(o.rebalance());
        for (int r = 1; r < o.rebalances(); r++) counts.addAll(o.rebalance().subList(1, o.rebalance().size())); // 1,2,3,1,2,3,1...
        try (Run run = new Run("rebalance", broker, o.dir(), t, o.set(), counts.stream().mapToInt(Integer::intValue).max().orElseThrow())) {
            for (int i = 0; i < counts.get(0); i++) run.startReady(run.slots.get(i));
            run.feed(Traffic.Extra.of(List.of()), o.rate());
            QueryProbe probe = QueryProbe.start(run);
            List<String> steps = new ArrayList<>();
            int stepsTotal = counts.size() - 1;
            for (int step = 0; step < stepsTotal; step++) {
                int from = counts.get(step);
                int to = counts.get(step + 1);
                double when = (step + 0.5) / (stepsTotal + 1);
                run.feed().allowUpTo((step + 1.0) / (stepsTotal + 1));
                Waits.until("traffic at " + when, 600, () -> run.feed().progress() >= when, () -> "");
                run.stalls().take();
                Run.Mark mark = run.mark(() -> {
                    for (int i = from; i < to; i++) run.slots.get(i).start(Map.of());
                    for (int i = to; i < from; i++) run.slots.get(i).stop();
                });
                for (int i = from; i < to; i++) run.awaitReady(run.slots.get(i));
                Run.Recovery r = run.recover(mark, 120);
                Waits.until("every live instance ready", 120, () -> run.alive().stream().allMatch(Instance::ready), run::tails);
                long settled = (System.nanoTime() - mark.nanos()) / 1_000_000;
                long stall = run.stalls().take();
                String what = from + " -> " + to + " instances" + (to < from ? " (SIGTERM)" : "");
                steps.add(what + ": every instance ready " + settled + " ms after the change; longest stall of a partition " + stall
                        + " ms; every partition past its offset at the change after " + r.resumeMs() + " ms, evaluation after " + r.blackoutMs() + " ms");
                out.println("  rebalance " + steps.get(steps.size() - 1));
                if (r.resumeMs() < 0) failures.add(what + ": no recovery within 120s");
            }
            run.feed().allowUpTo(1);
            probe.stop();
            f.put("steps", steps);
            f.put("query answers", probe.summary());
            if (!probe.violations.isEmpty()) failures.add("query API: " + probe.violations.size() + " wrong answers, e.g. " + probe.violations.get(0));
            if (probe.complete.get() == 0) failures.add("query API: no complete answer at all");
            outcome(run, f, failures);
        }
        return new FaultSuite.Result("rebalance", f, failures);
    }

    /**
     * Broker faults mid-traffic, {@code --broker-faults} rounds of a clean restart then a kill -9 (or restarts only),
     * each at a random moment of its own stretch of the traffic: the processor must recover on its own.
     */
    FaultSuite.Result broker() throws Exception {
        Traffic t = Traffic.generate(o.hours(), o.stepMs(), Run.PARTITIONS);
        Map<String, Object> f = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        try (Run run = new Run("broker", broker, o.dir(), t, o.set(), 1)) {
            run.startReady(run.slots.get(0));
            run.feed(Traffic.Extra.of(List.of()), o.rate());
            List<Boolean> kills = new ArrayList<>();
            for (int r = 0; r < o.brokerFaults(); r++) {
                kills.add(false);
                if (o.brokerKill()) kills.add(true);
            }
            Map<Boolean, List<List<Long>>> figures = Map.of(false, new ArrayList<>(), true, new ArrayList<>());
            for (int k = 0; k < kills.size(); k++) {
                boolean kill = kills.get(k);
                double from = (double) k / (kills.size() + 1);
                double to = (double) (k + 1) / (kills.size() + 1);
                run.feed().allowUpTo(to);
                double at = from + (to - from) * (0.1 + 0.6 * rnd.nextDouble());
                Waits.until("traffic at " + at, 600, () -> run.feed().progress() >= at, () -> "");
                run.stalls().take();
                Run.Mark mark = run.mark(kill ? broker::kill : broker::stop, false);
                long downMs = (System.nanoTime() - mark.nanos()) / 1_000_000;
                long startMs = broker.start();
                Run.Recovery r = run.recover(mark, 180);
                long stall = run.stalls().take();
                String what = kill ? "broker kill -9" : "broker restart (SIGTERM)";
                out.println("  " + what + " " + (k + 1) + ": broker down for " + (downMs + startMs) + " ms (stop " + downMs + ", start " + startMs
                        + "); processing again " + r.resumeMs() + " ms after the fault, evaluation past its point after " + r.blackoutMs()
                        + " ms; longest stall of a partition " + stall + " ms");
                figures.get(kill).add(List.of(downMs + startMs, r.resumeMs(), r.blackoutMs(), stall));
                if (r.resumeMs() < 0) failures.add(what + " " + (k + 1) + ": the processor did not recover within 180s\n" + run.tails());
            }
            run.feed().allowUpTo(1);
            for (boolean kill : new boolean[] {false, true}) {
                List<List<Long>> all = figures.get(kill);
                if (all.isEmpty()) continue;
                String what = kill ? "broker kill -9" : "broker restart (SIGTERM)";
                f.put(what + " (" + all.size() + "): broker away (stop + start), ms", Stats.of(all.stream().map(x -> x.get(0)).toList()));
                f.put(what + ": processing again after the fault, ms", Stats.of(all.stream().map(x -> x.get(1)).toList()));
                f.put(what + ": alert blackout (evaluation past its point), ms", Stats.of(all.stream().map(x -> x.get(2)).toList()));
                f.put(what + ": longest stall of a partition, ms", Stats.of(all.stream().map(x -> x.get(3)).toList()));
            }
            if (!run.slots.get(0).alive()) failures.add("the processor exited");
            outcome(run, f, failures);
        }
        return new FaultSuite.Result("broker", f, failures);
    }

    /**
     * Hostile records interleaved with the good traffic: every one in the dead-letter topic with a reason, no crash,
     * and the alerts exactly those of the good traffic alone (its backtest, from a topic holding only it).
     */
    FaultSuite.Result hostile() throws Exception {
        Traffic t = Traffic.generate(o.hours(), o.stepMs(), Run.PARTITIONS);
        Map<String, Object> f = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        try (Run run = new Run("hostile", broker, o.dir(), t, o.set(), 1)) {
            String goodOnly = goodOnly(run);
            run.startReady(run.slots.get(0));
            List<byte[]> hostile = Hostile.records(o.hostile(), rnd.nextLong());
            run.feed(Traffic.Extra.of(hostile), o.rate());
            Run.Outcome oc = outcome(run, f, failures);
            List<String> goodReference = Verdict.backtest(broker.bootstrap(), goodOnly, t.start, t.end + 10_000);
            if (oc != null && !goodReference.equals(oc.reference())) failures.add("the alerts differ from the good traffic's alone");
            f.put("alert transitions of the good traffic alone (backtest)", goodReference.size());
            deadLettersAndServices(run, hostile.size(), f, failures);
        }
        return new FaultSuite.Result("hostile", f, failures);
    }

    /** The good traffic alone in a topic of its own: its backtest is what the alerts must be without the extra records. */
    private static String goodOnly(Run run) throws Exception {
        String topic = run.appId + "-good";
        run.kafka.createInput(topic, Run.PARTITIONS);
        try (KafkaProducer<byte[], byte[]> p = run.kafka.producer()) {
            for (Traffic.Rec r : run.traffic.good) p.send(new ProducerRecord<>(topic, r.partition(), r.ts(), null, r.value()));
        }
        return topic;
    }

    /**
     * A scanner: {@code --scanner} requests for distinct random URLs on checkout (the service with the paging
     * incidents), mixed into the traffic, which keeps its pace (the scanner comes on top). The instance's heap after
     * a full GC, resident memory and state dir are measured before the traffic and as it goes; checkout keeps at
     * most {@code ingest.route.cap} routes plus the overflow route, whose requests with the kept routes' add up to
     * every request; the alerts are the backtest's of the same input, and the other services' those of the good
     * traffic alone.
     */
    FaultSuite.Result scanner() throws Exception {
        Traffic t = Traffic.generate(o.hours(), o.stepMs(), Run.PARTITIONS);
        Map<String, Object> f = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        try (Run run = new Run("scanner", broker, o.dir(), t, o.set(), 1)) {
            String goodOnly = goodOnly(run);
            Instance p1 = run.slots.get(0);
            run.startReady(p1);
            Scanner scanner = new Scanner("checkout", o.scanner(), t.end, rnd.nextLong());
            List<String> footprints = new ArrayList<>();
            footprints.add("before the traffic: " + p1.footprint());
            run.feed(scanner, (int) ((long) o.rate() * (t.good.size() + o.scanner()) / t.good.size()));
            for (double at : new double[] {0.25, 0.5, 0.75}) {
                Waits.until("traffic at " + at, 900, () -> run.feed().progress() >= at, () -> "");
                footprints.add(Math.round(at * o.scanner()) + " scanner requests sent: " + p1.footprint());
            }
            Run.Outcome oc = outcome(run, f, failures); // with the footprint once all is evaluated
            f.put("scanner", o.scanner() + " requests for distinct random URLs on " + scanner.service + ", produced at "
                    + (int) ((long) o.rate() * (t.good.size() + o.scanner()) / t.good.size()) + " records/s with the traffic");
            f.put("footprint of the instance", footprints);
            routesWithinCap(run, p1, scanner, f, failures);
            List<String> goodReference = Verdict.backtest(broker.bootstrap(), goodOnly, t.start, t.end + 10_000);
            List<String> others = goodReference.stream().filter(l -> !l.contains("service=" + scanner.service)).toList();
            f.put("alert transitions of the other services (backtest of the good traffic alone)", others.size());
            if (oc != null) {
                List<String> scanned = oc.reference().stream().filter(l -> l.contains("service=" + scanner.service)).toList();
                f.put("alert transitions of " + scanner.service + " (backtest of the same input)", scanned.size() + " " + scanned);
                if (!others.equals(oc.reference().stream().filter(l -> !l.contains("service=" + scanner.service)).toList())) {
                    failures.add("the other services' alerts differ from the good traffic's alone");
                }
            }
        }
        return new FaultSuite.Result("scanner", f, failures);
    }

    /**
     * The scanned service's routes: at most the cap plus the overflow route in every window, and every request
     * counted: the overflow route's, the good route's and one per scanner route kept (each path is distinct) add up
     * to the service's requests over the traffic.
     */
    private void routesWithinCap(Run run, Instance via, Scanner scanner, Map<String, Object> f, List<String> failures) {
        int cap = Integer.parseInt(o.set().getOrDefault("ingest.route.cap", AppKey.INGEST_ROUTE_CAP.defaultValue));
        String overflow = o.set().getOrDefault("ingest.route.overflow", AppKey.INGEST_ROUTE_OVERFLOW.defaultValue);
        Instance.Answer detail = via.get("/api/services/" + scanner.service + "?routes=1");
        int most = 0;
        for (var w : detail.json().get("windows")) most = Math.max(most, w.get("routesTotal").asInt());
        f.put("routes of " + scanner.service + " (most in any window)", most + " (cap " + cap + " + the overflow route '" + overflow + "')");
        if (most > cap + 1) failures.add("routes over the cap: " + most);
        long from = run.traffic.start;
        long to = run.traffic.end;
        long all = requests(via.series(scanner.service, null, from, to, "1h"));
        long other = requests(via.series(scanner.service, overflow, from, to, "1h"));
        long good = requests(via.series(scanner.service, "/api/pay", from, to, "1h"));
        long kept = most - 2; // the scanner's routes kept under the cap, one request each
        f.put("requests of " + scanner.service + " by route", all + " = " + other + " under '" + overflow + "' + " + good + " under /api/pay + "
                + kept + " (one per scanner route kept); burnrate_routes_overflow_total " + (long) via.metric("burnrate_routes_overflow_total"));
        if (other + good + kept != all) failures.add("the routes' requests do not add up to the service's: " + (other + good + kept) + " vs " + all);
    }

    private static long requests(List<Long> series) {
        if (series == null) throw new IllegalStateException("the time series did not answer");
        return series.get(0);
    }

    /**
     * The query API under abuse, with a token set, while traffic flows: every protected endpoint without the token
     * and with wrong ones (401, never data), huge and malformed parameters, paths and request lines (an error status,
     * never a 5xx or a stack trace), then {@code --slow-clients} connections that dribble headers, stay silent or never
     * read, while normal clients keep asking: they must be answered within seconds; heap, resident memory and threads
     * before, during and after. Then every check of a run.
     */
    FaultSuite.Result api() throws Exception {
        Traffic t = Traffic.generate(o.hours(), o.stepMs(), Run.PARTITIONS);
        Map<String, Object> f = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        String token = "t" + Long.toHexString(rnd.nextLong());
        Map<String, String> set = new LinkedHashMap<>(o.set());
        set.put("http.auth.token", token);
        try (Run run = new Run("api", broker, o.dir(), t, set, 1)) {
            Instance p1 = run.slots.get(0);
            run.startReady(p1);
            run.feed(Traffic.Extra.of(List.of()), o.rate());
            Waits.until("every service listed", 120, () -> run.evaluatedTo() >= 0, run::tails);
            List<String> footprints = new ArrayList<>();
            footprints.add("before: " + p1.footprint());
            apiChecks(p1, token, f, failures);
            NormalClients normal = NormalClients.start(p1, 4);
            long abuseStart = System.nanoTime();
            try (ApiAbuse.SlowClients slow = new ApiAbuse.SlowClients(p1.port, o.slowClients(), token)) {
                Thread.sleep(35_000);
                footprints.add("35 s into " + o.slowClients() + " slow clients: " + p1.footprint());
                Thread.sleep(10_000);
                f.put("slow clients", o.slowClients() + ": " + slow.dribblers.size() + " dribbling headers (closed by the server: " + slow.dribbleClosed
                        + "), " + slow.silent.size() + " silent (closed by the server: " + slow.silentClosedAfterMs.size() + ", after "
                        + Stats.of(slow.silentClosedAfterMs) + " ms), " + slow.nonReaders.size() + " pipelining " + ApiAbuse.SlowClients.PIPELINED + " /metrics and never reading");
            }
            normal.stop();
            f.put("normal clients during the abuse (" + (System.nanoTime() - abuseStart) / 1_000_000_000 + " s)", normal.summary());
            if (normal.slowest() > 5_000 || normal.failed() > 0) failures.add("normal clients: " + normal.summary());
            Thread.sleep(5_000);
            footprints.add("5 s after: " + p1.footprint());
            f.put("footprint of the instance", footprints);
            outcome(run, f, failures);
        }
        return new FaultSuite.Result("api", f, failures);
    }

    /** Every protected endpoint without and with wrong tokens, then huge and malformed requests, each answer checked. */
    private static void apiChecks(Instance i, String token, Map<String, Object> f, List<String> failures) {
        List<ApiAbuse.Check> auth = ApiAbuse.authChecks(token);
        f.put("token checks (" + auth.size() + "), by status", ApiAbuse.run(i.port, auth, failures));
        List<ApiAbuse.Check> bad = ApiAbuse.badInputChecks(token);
        f.put("bad input checks (" + bad.size() + "), by status", ApiAbuse.run(i.port, bad, failures));
    }

    /** Every hostile record in the dead-letter topic with a reason, the processor alive, no junk service listed. */
    private static void deadLettersAndServices(Run run, int hostile, Map<String, Object> f, List<String> failures) throws Exception {
        Map<String, Integer> reasons = new TreeMap<>();
        int withoutReason = 0;
        var dlq = run.kafka.readAll(run.dlq);
        for (var r : dlq) {
            String reason = DeadLetters.header(r.headers(), DeadLetters.REASON);
            if (reason == null) withoutReason++;
            else reasons.merge(reason, 1, Integer::sum);
        }
        f.put("hostile records", hostile);
        f.put("dead-lettered", dlq.size() + " " + reasons);
        if (dlq.size() != hostile) failures.add("dead letters: " + dlq.size() + " of " + hostile);
        if (withoutReason > 0) failures.add(withoutReason + " dead letters without a reason");
        Instance p1 = run.alive().get(0);
        var services = new ArrayList<String>();
        p1.get("/api/services").json().get("services").forEach(s -> services.add(s.get("service").asText()));
        services.sort(null);
        f.put("services the API lists", services);
        if (!services.equals(Traffic.SERVICES.stream().sorted().toList())) failures.add("a hostile record became a service: " + services);
    }

    /**
     * The short suite in one run, so it fits the test command: on one stretch of traffic with the hostile records and
     * a scanner's requests in it (the scanner on top of the pace), with a token on the query API, its token and bad
     * input checks, then a kill -9 and restart, an instance joining then leaving (SIGTERM), and a broker restart, with
     * the query API asked all along; then every check of the full scenarios, once.
     */
    FaultSuite.Result combined() throws Exception {
        Traffic t = Traffic.generate(o.hours(), o.stepMs(), Run.PARTITIONS);
        Map<String, Object> f = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        String token = "t" + Long.toHexString(rnd.nextLong());
        Map<String, String> set = new LinkedHashMap<>(o.set());
        set.put("http.auth.token", token);
        try (Run run = new Run("short", broker, o.dir(), t, set, 2)) {
            Instance p1 = run.slots.get(0);
            Instance p2 = run.slots.get(1);
            run.startReady(p1);
            List<byte[]> hostile = Hostile.records(o.hostile(), rnd.nextLong());
            Scanner scanner = new Scanner("checkout", o.scanner(), t.end, rnd.nextLong());
            long paced = t.good.size() + hostile.size();
            run.feed(Traffic.Extra.mix(Traffic.Extra.of(hostile), scanner), (int) (o.rate() * (paced + o.scanner()) / paced));
            Waits.until("every service listed", 120, () -> run.evaluatedTo() >= 0, run::tails); // the checks ask for checkout
            apiChecks(p1, token, f, failures);
            QueryProbe probe = QueryProbe.start(run);
            List<Run.Fault> faults = List.of(
                    () -> {
                        p1.kill();
                        p1.start(Map.of());
                    },
                    () -> p2.start(Map.of()),
                    p2::stop,
                    () -> {
                        broker.stop();
                        broker.start();
                    });
            List<String> names = List.of("kill -9 and restart", "1 -> 2 instances", "2 -> 1 instances (SIGTERM)", "broker restart");
            for (int k = 0; k < faults.size(); k++) {
                double from = (double) k / (faults.size() + 1);
                double to = (double) (k + 1) / (faults.size() + 1);
                run.feed().allowUpTo(to);
                double at = from + (to - from) * 0.3;
                Waits.until("traffic at " + at, 600, () -> run.feed().progress() >= at, () -> "");
                run.stalls().take();
                Run.Mark mark = run.mark(faults.get(k), k != 3);
                for (Instance i : run.alive()) run.awaitReady(i);
                Run.Recovery r = run.recover(mark, 120);
                String line = names.get(k) + ": processing again after " + r.resumeMs() + " ms, longest stall of a partition "
                        + run.stalls().take() + " ms";
                out.println("  short " + line);
                f.put(names.get(k), line.substring(line.indexOf(':') + 2));
                if (r.resumeMs() < 0) failures.add(names.get(k) + ": no recovery within 120s");
            }
            run.feed().allowUpTo(1);
            probe.stop();
            f.put("query answers", probe.summary());
            if (!probe.violations.isEmpty()) failures.add("query API: " + probe.violations.size() + " wrong answers, e.g. " + probe.violations.get(0));
            outcome(run, f, failures);
            deadLettersAndServices(run, hostile.size(), f, failures);
            if (o.scanner() > 0) routesWithinCap(run, run.alive().get(0), scanner, f, failures);
        }
        return new FaultSuite.Result("short", f, failures);
    }

    /** The final comparison, its figures and failures; null when it could not be made. */
    private Run.Outcome outcome(Run run, Map<String, Object> f, List<String> failures) throws Exception {
        Run.Outcome oc;
        try {
            oc = run.finish();
        } catch (IllegalStateException e) {
            failures.add(e.getMessage());
            return null;
        }
        f.put("events", run.traffic.good.size() + " (" + o.hours() + "h of event time, " + Traffic.SERVICES.size() + " services)"
                + (run.extra().count() > 0 ? " and " + run.extra().count() + " more records mixed in" : ""));
        f.put("events lost or counted twice", oc.eventDifference() + " (windows' totals vs the input, 5m and 1h tiers "
                + (oc.expectedTotals().equals(oc.totals1h()) ? "agree" : "DIFFER: " + oc.totals1h()) + ")");
        f.put("longest stall of a partition after the last fault, ms", oc.stallAfterFaultsMs());
        f.put("alert transitions (backtest)", oc.alerts().expected());
        f.put("lost", oc.alerts().lost().size());
        f.put("duplicated", oc.alerts().duplicated().size());
        long crashed = run.slots.stream().filter(i -> i.exitedOnItsOwn()).count();
        f.put("instances that exited on their own", crashed);
        f.put("ERROR/stack-trace lines in the instances' logs", run.errorLines());
        List<String> footprints = new ArrayList<>();
        for (Instance i : run.alive()) footprints.add(i.name + ": " + i.footprint());
        f.put("footprint at the end", footprints);
        if (!oc.ok()) failures.add("outcome: lost " + oc.alerts().lost() + ", duplicated " + oc.alerts().duplicated()
                + ", totals " + oc.totals5m() + " vs " + oc.expectedTotals());
        if (crashed > 0) failures.add(crashed + " instance(s) exited on their own");
        return oc;
    }
}
