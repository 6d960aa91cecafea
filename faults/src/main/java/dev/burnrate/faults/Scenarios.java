package dev.burnrate.faults;

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
            run.feed(List.of(), o.rate());
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
        List<Integer> counts = o.rebalance();
        try (Run run = new Run("rebalance", broker, o.dir(), t, o.set(), counts.stream().mapToInt(Integer::intValue).max().orElseThrow())) {
            for (int i = 0; i < counts.get(0); i++) run.startReady(run.slots.get(i));
            run.feed(List.of(), o.rate());
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

    /** A clean broker restart, then a broker kill -9, mid-traffic: the processor must recover on its own. */
    FaultSuite.Result broker() throws Exception {
        Traffic t = Traffic.generate(o.hours(), o.stepMs(), Run.PARTITIONS);
        Map<String, Object> f = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        try (Run run = new Run("broker", broker, o.dir(), t, o.set(), 1)) {
            run.startReady(run.slots.get(0));
            run.feed(List.of(), o.rate());
            for (boolean kill : o.brokerKill() ? new boolean[] {false, true} : new boolean[] {false}) {
                double when = kill ? 0.6 : 0.25;
                run.feed().allowUpTo(when + 0.25);
                Waits.until("traffic at " + when, 600, () -> run.feed().progress() >= when, () -> "");
                run.stalls().take();
                Run.Mark mark = run.mark(kill ? broker::kill : broker::stop, false);
                long downMs = (System.nanoTime() - mark.nanos()) / 1_000_000;
                long startMs = broker.start();
                Run.Recovery r = run.recover(mark, 180);
                long stall = run.stalls().take();
                String what = kill ? "broker kill -9" : "broker restart (SIGTERM)";
                String line = what + ": broker down for " + (downMs + startMs) + " ms (stop " + downMs + ", start " + startMs
                        + "); processing again " + r.resumeMs() + " ms after the fault, evaluation past its point after " + r.blackoutMs()
                        + " ms; longest stall of a partition " + stall + " ms";
                out.println("  " + line);
                f.put(what, line.substring(line.indexOf(':') + 2));
                if (r.resumeMs() < 0) failures.add(what + ": the processor did not recover within 180s\n" + run.tails());
            }
            run.feed().allowUpTo(1);
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
            String goodOnly = run.appId + "-good";
            run.kafka.createInput(goodOnly, Run.PARTITIONS);
            try (KafkaProducer<byte[], byte[]> p = run.kafka.producer()) {
                for (Traffic.Rec r : t.good) p.send(new ProducerRecord<>(goodOnly, r.partition(), r.ts(), null, r.value()));
            }
            run.startReady(run.slots.get(0));
            List<byte[]> hostile = Hostile.records(o.hostile(), rnd.nextLong());
            run.feed(hostile, o.rate());
            Run.Outcome oc = outcome(run, f, failures);
            List<String> goodReference = Verdict.backtest(broker.bootstrap(), goodOnly, t.start, t.end + 10_000);
            if (oc != null && !goodReference.equals(oc.reference())) failures.add("the alerts differ from the good traffic's alone");
            f.put("alert transitions of the good traffic alone (backtest)", goodReference.size());
            deadLettersAndServices(run, hostile.size(), f, failures);
        }
        return new FaultSuite.Result("hostile", f, failures);
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
     * The short suite in one run, so it fits the test command: on one stretch of traffic with the hostile records in
     * it, a kill -9 and restart, an instance joining then leaving (SIGTERM), and a broker restart, with the query
     * API asked all along; then every check of the full scenarios, once.
     */
    FaultSuite.Result combined() throws Exception {
        Traffic t = Traffic.generate(o.hours(), o.stepMs(), Run.PARTITIONS);
        Map<String, Object> f = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        try (Run run = new Run("short", broker, o.dir(), t, o.set(), 2)) {
            Instance p1 = run.slots.get(0);
            Instance p2 = run.slots.get(1);
            run.startReady(p1);
            List<byte[]> hostile = Hostile.records(o.hostile(), rnd.nextLong());
            run.feed(hostile, o.rate());
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
        f.put("events", run.traffic.good.size() + " (" + o.hours() + "h of event time, " + Traffic.SERVICES.size() + " services)");
        f.put("events lost or counted twice", oc.eventDifference() + " (windows' totals vs the input, 5m and 1h tiers "
                + (oc.expectedTotals().equals(oc.totals1h()) ? "agree" : "DIFFER: " + oc.totals1h()) + ")");
        f.put("longest stall of a partition after the last fault, ms", oc.stallAfterFaultsMs());
        f.put("alert transitions (backtest)", oc.alerts().expected());
        f.put("lost", oc.alerts().lost().size());
        f.put("duplicated", oc.alerts().duplicated().size());
        long crashed = run.slots.stream().filter(i -> i.exitedOnItsOwn()).count();
        f.put("instances that exited on their own", crashed);
        f.put("ERROR/stack-trace lines in the instances' logs", run.errorLines());
        if (!oc.ok()) failures.add("outcome: lost " + oc.alerts().lost() + ", duplicated " + oc.alerts().duplicated()
                + ", totals " + oc.totals5m() + " vs " + oc.expectedTotals());
        if (crashed > 0) failures.add(crashed + " instance(s) exited on their own");
        return oc;
    }
}
