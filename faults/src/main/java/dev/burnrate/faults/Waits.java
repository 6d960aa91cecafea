package dev.burnrate.faults;

import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Polling for a condition, with what to show when it does not come. */
final class Waits {
    private Waits() {
    }

    static void until(String what, int seconds, Callable<Boolean> condition, Supplier<String> context) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.call()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("not within " + seconds + "s: " + what + "\n" + context.get());
            Thread.sleep(100);
        }
    }
}
