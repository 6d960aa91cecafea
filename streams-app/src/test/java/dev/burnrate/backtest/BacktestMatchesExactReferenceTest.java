package dev.burnrate.backtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.burnrate.app.AppConfig;
import dev.burnrate.reference.EpisodeComparison;
import dev.burnrate.reference.RandomTraffic;
import dev.burnrate.reference.ReferenceCheck;
import dev.burnrate.slo.SloConfig;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property test of the backtest path (the processor's own stages, as {@code Backtest} runs them) against the
 * brute-force reference {@link dev.burnrate.reference.ExactAlerts}: random traffic over {@value ReferenceCheck#DAYS}
 * days of event time (see {@link RandomTraffic}: services of very different rates, outages of random length and
 * height, slow burns, flapping, pauses, a service that stops for good), the default SLO's four burn-rate rules and
 * two threshold rules with holds by service+route; every fire and resolve instant within max(one evaluation step,
 * W/40) of the reference's, no episode missing or extra beyond that (episode matching: see
 * {@link EpisodeComparison}). The seed is in the failure message; {@code -Dburnrate.seed=N} reruns one.
 */
class BacktestMatchesExactReferenceTest {
    static LongStream seeds() {
        return ReferenceCheck.seeds(1, 2);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyRuleFiresAndResolvesWhereExactWindowsSay(long seed) {
        RandomTraffic traffic = ReferenceCheck.traffic(seed);
        SloConfig slos = ReferenceCheck.slos();
        BacktestRunner.Result r = new BacktestRunner(AppConfig.ofMap(Map.of()), slos).run(new Source(traffic), null);
        if (r.ingested() != traffic.size() || r.late() != 0 || r.deadLetters() != 0) {
            throw new AssertionError("every event counted: " + r.ingested() + " of " + traffic.size() + ", late " + r.late());
        }
        // the backtest evaluates every instant up to its last event (see BacktestRunner)
        long horizon = Math.floorDiv(r.lastEventMs(), ReferenceCheck.STEP.toMillis()) * ReferenceCheck.STEP.toMillis();
        System.out.printf("backtest of seed %d: %,d events in %.1fs (%.1fs CPU)%n", seed, traffic.size(), r.elapsedNanos() / 1e9, r.cpuNanos() / 1e9);
        ReferenceCheck.assertAgrees("backtest", traffic, slos, r.alerts(), horizon);
    }

    /** The traffic as the backtest's input, one JSON line per event, each with its event time as record time. */
    private static final class Source implements InputSource {
        private final RandomTraffic traffic;
        private int next;

        Source(RandomTraffic traffic) {
            this.traffic = traffic;
        }

        @Override
        public boolean next(Cursor into) {
            if (next == traffic.size()) return false;
            into.value = traffic.json(next);
            into.timestampMs = traffic.ts(next);
            into.position = next++;
            return true;
        }

        @Override
        public String describe(long position) {
            return "event " + position;
        }

        @Override
        public void describe(long position, ObjectNode into) {
            into.put("event", position);
        }

        @Override
        public String name() {
            return "random traffic, seed " + traffic.seed;
        }

        @Override
        public void close() {
        }
    }
}
