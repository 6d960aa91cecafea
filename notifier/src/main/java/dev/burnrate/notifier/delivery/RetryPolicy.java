package dev.burnrate.notifier.delivery;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Tries a message until the receiver accepts it or the failure is final. Timeouts, connection errors, 408, 429 and
 * 5xx are retried after an exponential backoff with jitter (half the step plus a random part of the other half, so
 * notifiers restarted together do not retry in step), or after the receiver's Retry-After when it gave one. Another
 * 4xx is final at once; so is running past {@code maxElapsed}, which bounds how long one target can hold back the
 * committed offset.
 */
public final class RetryPolicy {
    private final Duration initial;
    private final Duration max;
    private final Duration maxElapsed;

    public RetryPolicy(Duration initial, Duration max, Duration maxElapsed) {
        this.initial = initial;
        this.max = max;
        this.maxElapsed = maxElapsed;
    }

    /** @param onRetry told the reason of each failed attempt that will be retried */
    public Outcome deliver(Sender sender, Message message, Consumer<String> onRetry) throws InterruptedException {
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            String failure;
            Duration wait;
            try {
                Response r = sender.send(message);
                if (r.accepted()) return Outcome.delivered(attempt);
                failure = "HTTP " + r.status() + (r.body().isBlank() ? "" : ": " + r.body().strip());
                if (!r.retryable()) return Outcome.failed("rejected", failure, attempt);
                wait = r.retryAfter() != null ? r.retryAfter() : backoff(attempt);
            } catch (IOException e) {
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                wait = backoff(attempt);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            if (elapsed.plus(wait).compareTo(maxElapsed) > 0) {
                return Outcome.failed("gave-up", "gave up after " + attempt + " attempts in " + elapsed.toSeconds() + "s: " + failure, attempt);
            }
            onRetry.accept(failure);
            Thread.sleep(wait.toMillis());
        }
    }

    /** initial * 2^(attempt-1), capped at max, then somewhere in its upper half. */
    Duration backoff(int attempt) {
        long step = initial.toMillis() << Math.min(attempt - 1, 30);
        if (step <= 0 || step > max.toMillis()) step = max.toMillis();
        return Duration.ofMillis(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
    }
}
