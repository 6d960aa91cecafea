package dev.burnrate.alerts;

import dev.burnrate.slo.Slo;
import dev.burnrate.slo.AlertRule;
import dev.burnrate.alerts.AlertState;
import dev.burnrate.alerts.AlertStateMachine;
import dev.burnrate.alerts.RuleEvaluator;
import dev.burnrate.alerts.Transition;
import dev.burnrate.core.Counts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An analytic traffic model for tests: a service at a constant {@code rps} requests per second since forever, of
 * which {@code errorsPerSecond} are 500s during [{@code errorsFromSec}, {@code errorsUntilSec}) and none otherwise.
 * The window {@code w} at instant {@code t} (seconds) covers the w seconds [t - w, t).
 */
record StepChange(long rps, long errorsPerSecond, long errorsFromSec, long errorsUntilSec) {

    Counts window(Duration w, long tSec) {
        long wSec = w.toSeconds();
        long overlap = Math.max(0, Math.min(tSec, errorsUntilSec) - Math.max(tSec - wSec, errorsFromSec));
        long errors = overlap * errorsPerSecond;
        long requests = wSec * rps;
        Counts c = Counts.of(500, errors);
        c.add(200, requests - errors);
        return c;
    }

    record Event(long tSec, Transition transition) {
        @Override
        public String toString() {
            return transition + "@" + tSec + "s";
        }
    }

    /** Evaluates the rule every second from fromSec to toSec inclusive, driving the state machine; returns emissions. */
    List<Event> run(Slo slo, AlertRule rule, long fromSec, long toSec) {
        List<Event> events = new ArrayList<>();
        AlertState state = null;
        for (long t = fromSec; t <= toSec; t++) {
            long now = t;
            RuleEvaluator.RuleResult r = RuleEvaluator.evaluate(slo, rule, w -> window(w, now));
            AlertStateMachine.Step step = AlertStateMachine.step(state, r.conditionTrue(), t * 1000, rule.hold());
            if (step.emitted() != Transition.NONE) events.add(new Event(t, step.emitted()));
            state = step.next();
        }
        return events;
    }

    static Event firing(long tSec) {
        return new Event(tSec, Transition.FIRING);
    }

    static Event resolved(long tSec) {
        return new Event(tSec, Transition.RESOLVED);
    }
}
