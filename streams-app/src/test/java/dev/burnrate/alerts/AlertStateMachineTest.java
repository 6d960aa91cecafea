package dev.burnrate.alerts;

import dev.burnrate.alerts.AlertState.Phase;
import dev.burnrate.alerts.AlertStateMachine.Step;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertStateMachineTest {
    private static final Duration HOLD = Duration.ofMinutes(2);
    private static final Duration RETENTION = Duration.ofMinutes(15);
    private static final long MIN = 60_000;

    private static Step step(AlertState s, boolean cond, long t) {
        return AlertStateMachine.step(s, cond, t, HOLD, RETENTION);
    }

    @Test
    void inactiveStaysInactiveOnFalse() {
        Step s = step(null, false, 0);
        assertEquals(Phase.INACTIVE, s.next().phase());
        assertEquals(Transition.NONE, s.emitted());
        assertTrue(s.deletable());
    }

    @Test
    void inactiveToPendingThenFiringAfterHold() {
        Step p = step(null, true, 10 * MIN);
        assertEquals(Phase.PENDING, p.next().phase());
        assertEquals(10 * MIN, p.next().activeSinceMs());
        assertEquals(Transition.NONE, p.emitted());
        assertFalse(p.deletable());

        Step stillPending = step(p.next(), true, 11 * MIN + 59_999);
        assertEquals(Phase.PENDING, stillPending.next().phase());
        assertEquals(10 * MIN, stillPending.next().activeSinceMs());
        assertEquals(Transition.NONE, stillPending.emitted());

        Step fired = step(stillPending.next(), true, 12 * MIN); // exactly hold later: fires (>=)
        assertEquals(Phase.FIRING, fired.next().phase());
        assertEquals(Transition.FIRING, fired.emitted());
        assertEquals(10 * MIN, fired.next().activeSinceMs());
        assertEquals(12 * MIN, fired.next().firedAtMs());
    }

    @Test
    void zeroHoldFiresImmediately() {
        Step s = AlertStateMachine.step(null, true, 5 * MIN, Duration.ZERO, RETENTION);
        assertEquals(Phase.FIRING, s.next().phase());
        assertEquals(Transition.FIRING, s.emitted());
        assertEquals(5 * MIN, s.next().activeSinceMs());
        assertEquals(5 * MIN, s.next().firedAtMs());
    }

    @Test
    void pendingThatClearsGoesInactiveWithoutEmitting() {
        Step p = step(null, true, 0);
        Step cleared = step(p.next(), false, MIN);
        assertEquals(Phase.INACTIVE, cleared.next().phase());
        assertEquals(Transition.NONE, cleared.emitted());
        assertTrue(cleared.deletable());
        // and a new pending period starts from scratch
        Step again = step(cleared.next(), true, 2 * MIN);
        assertEquals(2 * MIN, again.next().activeSinceMs());
        assertEquals(Phase.PENDING, step(again.next(), true, 3 * MIN).next().phase());
    }

    @Test
    void firingDoesNotFireTwice() {
        AlertState firing = AlertStateMachine.step(null, true, 0, Duration.ZERO, RETENTION).next();
        for (long t = 1; t <= 100; t++) {
            Step s = AlertStateMachine.step(firing, true, t * MIN, Duration.ZERO, RETENTION);
            assertEquals(Transition.NONE, s.emitted());
            assertEquals(Phase.FIRING, s.next().phase());
            assertEquals(0, s.next().firedAtMs());
            firing = s.next();
        }
    }

    @Test
    void firingResolvesAndIsKeptThenDeletable() {
        AlertState firing = AlertStateMachine.step(null, true, 0, Duration.ZERO, RETENTION).next();
        Step resolved = step(firing, false, 30 * MIN);
        assertEquals(Transition.RESOLVED, resolved.emitted());
        assertEquals(Phase.RESOLVED, resolved.next().phase());
        assertEquals(30 * MIN, resolved.next().resolvedAtMs());
        assertEquals(0, resolved.next().firedAtMs(), "episode timestamps kept for the resolved record");
        assertFalse(resolved.deletable());

        Step kept = step(resolved.next(), false, 44 * MIN);
        assertEquals(Phase.RESOLVED, kept.next().phase());
        assertEquals(Transition.NONE, kept.emitted(), "no second resolve");
        assertFalse(kept.deletable());

        Step expired = step(kept.next(), false, 45 * MIN); // 15m after the resolve
        assertEquals(Phase.INACTIVE, expired.next().phase());
        assertEquals(Transition.NONE, expired.emitted());
        assertTrue(expired.deletable());
    }

    @Test
    void resolvedThenTrueStartsANewEpisode() {
        AlertState firing = step(step(null, true, 0).next(), true, 2 * MIN).next();
        AlertState resolved = step(firing, false, 10 * MIN).next();
        Step pending = step(resolved, true, 11 * MIN);
        assertEquals(Phase.PENDING, pending.next().phase());
        assertEquals(11 * MIN, pending.next().activeSinceMs());
        assertEquals(Transition.NONE, pending.emitted());
        Step refired = step(pending.next(), true, 13 * MIN);
        assertEquals(Transition.FIRING, refired.emitted());
        assertEquals(13 * MIN, refired.next().firedAtMs());
        assertEquals(AlertState.UNSET, refired.next().resolvedAtMs());

        Step immediate = AlertStateMachine.step(resolved, true, 11 * MIN, Duration.ZERO, RETENTION);
        assertEquals(Transition.FIRING, immediate.emitted());
        assertEquals(11 * MIN, immediate.next().activeSinceMs());
    }

    @Test
    void outOfOrderEvaluationIsIgnored() {
        AlertState firing = AlertStateMachine.step(null, true, 10 * MIN, Duration.ZERO, RETENTION).next();
        Step late = step(firing, false, 9 * MIN);
        assertSame(firing, late.next());
        assertEquals(Transition.NONE, late.emitted());

        AlertState resolved = step(firing, false, 20 * MIN).next();
        Step lateTrue = step(resolved, true, 15 * MIN);
        assertSame(resolved, lateTrue.next());
        assertEquals(Transition.NONE, lateTrue.emitted(), "a re-delivered old evaluation must not re-fire");
    }

    @Test
    void stateRoundTripsThroughBytes() {
        AlertState[] states = {
                AlertState.initial(),
                AlertState.inactive(123),
                new AlertState(Phase.PENDING, 1_700_000_000_000L, AlertState.UNSET, AlertState.UNSET, 1_700_000_001_000L),
                new AlertState(Phase.FIRING, 1, 2, AlertState.UNSET, 3),
                new AlertState(Phase.RESOLVED, 1, 2, 3, 4)};
        for (AlertState s : states) {
            byte[] bytes = s.toBytes();
            assertEquals(AlertState.VERSION, bytes[0]);
            assertEquals(34, bytes.length);
            assertEquals(s, AlertState.fromBytes(bytes));
            assertArrayEquals(bytes, AlertState.fromBytes(bytes).toBytes());
        }
    }

    @Test
    void aClearedSinceIsVersion2AndEverythingElseStaysVersion1() {
        AlertState keeping = new AlertState(Phase.FIRING, 1, 2, AlertState.UNSET, 5, 4);
        byte[] bytes = keeping.toBytes();
        assertEquals(2, bytes[0]);
        assertEquals(42, bytes.length);
        assertEquals(keeping, AlertState.fromBytes(bytes));
        // a version-2 value cut to version 1's length, or a version-1 value claiming version 2, is garbage
        byte[] v1 = new AlertState(Phase.FIRING, 1, 2, AlertState.UNSET, 3).toBytes();
        v1[0] = 2;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AlertState.fromBytes(v1)).getMessage().contains("v2 is 42 bytes"));
    }

    /**
     * Prometheus's keep_firing_for: a firing alert whose condition clears stays firing (nothing emitted) until the
     * condition has been false for keepFiringFor since it first cleared; a condition back in time continues it.
     */
    @Test
    void keepFiringForHoldsTheResolveAndAConditionBackInTimeContinuesTheEpisode() {
        Duration keep = Duration.ofMinutes(5);
        AlertState firing = AlertStateMachine.step(null, true, 0, Duration.ZERO, keep, RETENTION).next();
        assertEquals(Phase.FIRING, firing.phase());

        Step cleared = AlertStateMachine.step(firing, false, MIN, Duration.ZERO, keep, RETENTION);
        assertEquals(Transition.NONE, cleared.emitted());
        assertEquals(Phase.FIRING, cleared.next().phase());
        assertEquals(MIN, cleared.next().clearedSinceMs());
        assertFalse(cleared.next().sameBut(firing), "the clearing is stored: a restart must not forget when it began");

        Step stillCleared = AlertStateMachine.step(cleared.next(), false, 5 * MIN, Duration.ZERO, keep, RETENTION);
        assertEquals(Transition.NONE, stillCleared.emitted(), "4 minutes false: less than 5");
        assertEquals(MIN, stillCleared.next().clearedSinceMs(), "since the first false instant, not the latest");
        assertTrue(stillCleared.next().sameBut(cleared.next()), "nothing new to store");

        Step back = AlertStateMachine.step(stillCleared.next(), true, 5 * MIN + 10_000, Duration.ZERO, keep, RETENTION);
        assertEquals(Transition.NONE, back.emitted(), "the same episode: no second page");
        assertEquals(AlertState.UNSET, back.next().clearedSinceMs());
        assertEquals(0, back.next().firedAtMs());

        AlertState again = AlertStateMachine.step(back.next(), false, 10 * MIN, Duration.ZERO, keep, RETENTION).next();
        assertEquals(Transition.NONE, AlertStateMachine.step(again, false, 15 * MIN - 1, Duration.ZERO, keep, RETENTION).emitted());
        Step resolved = AlertStateMachine.step(again, false, 15 * MIN, Duration.ZERO, keep, RETENTION);
        assertEquals(Transition.RESOLVED, resolved.emitted(), "false for exactly keepFiringFor");
        assertEquals(15 * MIN, resolved.next().resolvedAtMs());
        assertEquals(0, resolved.next().firedAtMs());

        // without it, the first false instant resolves
        assertEquals(Transition.RESOLVED, AlertStateMachine.step(firing, false, MIN, Duration.ZERO, Duration.ZERO, RETENTION).emitted());
    }

    @Test
    void unknownVersionOrGarbageIsRejected() {
        byte[] bytes = new AlertState(Phase.FIRING, 1, 2, AlertState.UNSET, 3).toBytes();
        bytes[0] = 3;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AlertState.fromBytes(bytes)).getMessage().contains("version 3"));
        assertThrows(IllegalArgumentException.class, () -> AlertState.fromBytes(new byte[] {1, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> AlertState.fromBytes(new byte[0]));
    }
}
