package dev.burnrate.notifier;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.notifier.delivery.RateLimiter;
import org.junit.jupiter.api.Test;

/** The per-target token bucket: a burst of a tenth of the per-minute budget, then evenly spaced sends. */
class RateLimiterTest {
    @Test
    void burstThenEvenSpacing() throws Exception {
        RateLimiter limiter = new RateLimiter(600); // 10 per second, burst 60
        long start = System.nanoTime();
        for (int i = 0; i < 60; i++) limiter.acquire();
        long burstMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(burstMs < 500, "the burst goes at once: " + burstMs + " ms");
        start = System.nanoTime();
        for (int i = 0; i < 10; i++) limiter.acquire();
        long ms = (System.nanoTime() - start) / 1_000_000;
        // ten more at 10/s: about a second, never faster than the limit allows
        assertTrue(ms >= 900, "limited to 10 per second after the burst: 10 sends in " + ms + " ms");
    }
}
