package dev.burnrate.notifier.delivery;

import java.time.Duration;

/** A receiver's answer: status, body (for the log and the dead letter), and its Retry-After when it gave one. */
public record Response(int status, String body, Duration retryAfter) {
    public boolean accepted() {
        return status >= 200 && status < 300;
    }

    /** 408, 429 and 5xx are worth another try; any other non-2xx will not get better by repeating it. */
    public boolean retryable() {
        return status == 408 || status == 429 || status >= 500;
    }
}
