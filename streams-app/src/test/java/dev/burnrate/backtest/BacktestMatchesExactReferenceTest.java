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
 * a 5-minute threshold rule with a 2-minute hold by service+route; every fire and resolve instant within max(one
 * evaluation step, W/40) of the reference's (W the rule's long window: 1m30s for fast-burn, 9m slow-burn, 36m
 * ticket-quick, 1h48m ticket-slow, 10s the threshold rule), no episode missing or extra beyond that.
 *
 * <p>Episode matching ({@link EpisodeComparison}): per alert, the two sequences of transitions (fire, resolve, ...)
 * must pair up in order, fire with fire and resolve with resolve, each pair at most the tolerance apart. The one
 * exception is a <em>pulse</em> no longer than the tolerance on one side only: a firing episode that short, or a
 * pause that short inside an episode. Near a threshold, window arithmetic within the tolerance can make such a blip
 * appear in one and not the other (a noisy exact window grazes the threshold for a few instants); an episode or a
 * gap longer than the tolerance must be on both sides. Episodes still firing when the input ends are closed at the
 * last evaluated instant on both sides; the traffic ends with one request of a quiet service 6h20m after the rest,
 * so in practice every episode resolves. Threshold rules with a hold over windows that are approximate at their old
 * end are left out on purpose: a blip shorter than the tolerance restarts the hold, which moves the fire instant by
 * up to the hold, so W/40 says nothing about them.
 *
 * <p>The report (stdout, and the failure message with the traffic's description) gives per rule the episodes on
 * each side, the largest deviation of the paired ones, the pulses left unpaired, and each failing episode with how
 * far its fire and resolve are off. The seed is in the failure message; {@code -Dburnrate.seed=N} reruns one.
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
