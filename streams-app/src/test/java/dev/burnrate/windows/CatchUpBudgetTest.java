package dev.burnrate.windows;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One evaluation budget per stream thread and transaction: what one windows task spends, the thread's other tasks
 * cannot spend again before the commit renews it (a slice per call let a transaction gather many slices).
 */
class CatchUpBudgetTest {
    private static final long SLICE = 2_000_000_000L;

    @Test
    void tasksOfOneThreadShareTheSliceUntilTheCommitRenewsIt() throws Exception {
        CatchUpBudget first = CatchUpBudget.ofThread();
        first.renew();
        assertFalse(first.exhausted(SLICE), "a fresh budget allows evaluation");
        assertFalse(first.exhausted(0), "a fresh budget allows one instant even with a zero slice");

        first.spend(1_500_000_000L); // one task evaluated 1.5 s
        CatchUpBudget second = CatchUpBudget.ofThread(); // another task on the same thread
        assertSame(first, second);
        assertFalse(second.exhausted(SLICE));
        assertTrue(second.exhaustedWith(System.nanoTime() - 600_000_000L, SLICE), "0.6 s more goes past the 2 s slice");
        second.spend(600_000_000L);
        assertTrue(first.exhausted(SLICE), "no more evaluation in this transaction, for either task");

        first.renew(); // the commit
        assertFalse(second.exhausted(SLICE));

        AtomicReference<CatchUpBudget> other = new AtomicReference<>();
        Thread t = new Thread(() -> other.set(CatchUpBudget.ofThread()));
        t.start();
        t.join();
        assertNotSame(first, other.get(), "another stream thread has its own transaction and budget");
    }
}
