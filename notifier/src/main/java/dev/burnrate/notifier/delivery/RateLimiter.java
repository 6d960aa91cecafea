package dev.burnrate.notifier.delivery;

/**
 * A token bucket per target (e.g. PagerDuty's ~120 events per minute per routing key): a burst of up to a tenth of
 * the per-minute budget (at least one) goes at once, then sends are spaced evenly.
 */
public final class RateLimiter {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long last = System.nanoTime();

    public RateLimiter(int perMinute) {
        if (perMinute <= 0) throw new IllegalArgumentException("rate limit must be positive: " + perMinute);
        this.perNano = perMinute / 60e9;
        this.burst = Math.max(1, perMinute / 10.0);
        this.tokens = burst;
    }

    /** Blocks until a send is allowed. One caller at a time (the target's worker). */
    public void acquire() throws InterruptedException {
        while (true) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return;
            }
            long waitNanos = (long) ((1 - tokens) / perNano);
            Thread.sleep(Math.max(1, waitNanos / 1_000_000));
        }
    }
}
