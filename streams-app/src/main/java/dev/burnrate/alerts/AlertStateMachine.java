package dev.burnrate.alerts;

import dev.burnrate.alerts.AlertState.Phase;

import java.time.Duration;

/**
 * The alert lifecycle, like Prometheus alerting rules: inactive -> pending (while the condition holds for less than
 * the hold) -> firing -> resolved (kept for a while so the resolve can be queried/re-sent) -> inactive. Pure: the
 * caller stores {@link Step#next()} and emits a record when {@link Step#emitted()} is not NONE.
 *
 * <pre>
 * previous   condition  result
 * INACTIVE   true       PENDING (activeSince=t), or FIRING + emit FIRING if t - activeSince >= hold (so hold 0)
 * INACTIVE   false      INACTIVE
 * PENDING    true       FIRING + emit FIRING (firedAt=t) once t - activeSince >= hold, else PENDING
 * PENDING    false      INACTIVE, nothing emitted: a pending alert never notified anyone, so there is no resolve
 * FIRING     true       FIRING, nothing emitted (no duplicate); a clearedSince is forgotten
 * FIRING     false      RESOLVED + emit RESOLVED (resolvedAt=t) once t - clearedSince >= keepFiringFor (clearedSince:
 *                       the first false instant since it last held; so keepFiringFor 0 resolves at once), else FIRING
 *                       with clearedSince, nothing emitted
 * RESOLVED   true       a new episode: as INACTIVE + true, with a new activeSince
 * RESOLVED   false      INACTIVE once t - resolvedAt >= resolvedRetention (deletable), else RESOLVED
 * any        any, t earlier than the last evaluation: ignored (unchanged, NONE); event time can re-deliver after a
 *            restart. An evaluation at the same instant as the last one is applied.
 * </pre>
 */
public final class AlertStateMachine {
    /** How long a resolved alert is kept by default (Prometheus keeps resolved alerts 15m). */
    public static final Duration DEFAULT_RESOLVED_RETENTION = Duration.ofMinutes(15);

    /** @param next the state to store (delete it if {@link AlertState#deletable()}) */
    public record Step(AlertState next, Transition emitted) {
        public boolean deletable() {
            return next.deletable();
        }
    }

    private AlertStateMachine() {
    }

    /**
     * @param previous          the stored state; null = never evaluated / deleted (INACTIVE)
     * @param conditionTrue     the rule's condition at {@code evalTimeMs}
     * @param hold              how long the condition must hold before firing (zero = fire at once)
     * @param keepFiringFor     how long a firing alert stays firing after its condition clears (zero = resolve at once)
     * @param resolvedRetention how long a RESOLVED state is kept before it becomes INACTIVE
     */
    public static Step step(AlertState previous, boolean conditionTrue, long evalTimeMs, Duration hold, Duration keepFiringFor,
                            Duration resolvedRetention) {
        AlertState prev = previous == null ? AlertState.initial() : previous;
        if (prev.lastEvalMs() != AlertState.UNSET && evalTimeMs < prev.lastEvalMs()) {
            return new Step(prev, Transition.NONE);
        }
        long t = evalTimeMs;
        long holdMs = hold.toMillis();
        return switch (prev.phase()) {
            case INACTIVE, RESOLVED -> {
                if (conditionTrue) yield startEpisode(t, holdMs);
                if (prev.phase() == Phase.RESOLVED && t - prev.resolvedAtMs() < resolvedRetention.toMillis()) {
                    yield new Step(withEval(prev, t), Transition.NONE);
                }
                yield new Step(AlertState.inactive(t), Transition.NONE);
            }
            case PENDING -> {
                if (!conditionTrue) yield new Step(AlertState.inactive(t), Transition.NONE);
                if (t - prev.activeSinceMs() >= holdMs) {
                    yield new Step(new AlertState(Phase.FIRING, prev.activeSinceMs(), t, AlertState.UNSET, t), Transition.FIRING);
                }
                yield new Step(withEval(prev, t), Transition.NONE);
            }
            case FIRING -> {
                if (conditionTrue) {
                    yield new Step(new AlertState(Phase.FIRING, prev.activeSinceMs(), prev.firedAtMs(), AlertState.UNSET, t), Transition.NONE);
                }
                long clearedSince = prev.clearedSinceMs() == AlertState.UNSET ? t : prev.clearedSinceMs();
                if (t - clearedSince >= keepFiringFor.toMillis()) {
                    yield new Step(new AlertState(Phase.RESOLVED, prev.activeSinceMs(), prev.firedAtMs(), t, t), Transition.RESOLVED);
                }
                yield new Step(new AlertState(Phase.FIRING, prev.activeSinceMs(), prev.firedAtMs(), AlertState.UNSET, t, clearedSince),
                        Transition.NONE);
            }
        };
    }

    /** {@link #step(AlertState, boolean, long, Duration, Duration, Duration)} without keepFiringFor. */
    public static Step step(AlertState previous, boolean conditionTrue, long evalTimeMs, Duration hold, Duration resolvedRetention) {
        return step(previous, conditionTrue, evalTimeMs, hold, Duration.ZERO, resolvedRetention);
    }

    /** {@link #step(AlertState, boolean, long, Duration, Duration)} with {@link #DEFAULT_RESOLVED_RETENTION}. */
    public static Step step(AlertState previous, boolean conditionTrue, long evalTimeMs, Duration hold) {
        return step(previous, conditionTrue, evalTimeMs, hold, DEFAULT_RESOLVED_RETENTION);
    }

    private static Step startEpisode(long t, long holdMs) {
        if (holdMs <= 0) return new Step(new AlertState(Phase.FIRING, t, t, AlertState.UNSET, t), Transition.FIRING);
        return new Step(new AlertState(Phase.PENDING, t, AlertState.UNSET, AlertState.UNSET, t), Transition.NONE);
    }

    private static AlertState withEval(AlertState s, long t) {
        return new AlertState(s.phase(), s.activeSinceMs(), s.firedAtMs(), s.resolvedAtMs(), t, s.clearedSinceMs());
    }
}
