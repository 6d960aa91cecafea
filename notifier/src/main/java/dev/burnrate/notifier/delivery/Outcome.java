package dev.burnrate.notifier.delivery;

/**
 * How delivering one message ended: accepted, or a final failure with its reason ({@code rejected}: a 4xx other
 * than 408/429; {@code gave-up}: retries ran past notifier.retry.max.elapsed) and what the receiver said.
 */
public record Outcome(boolean delivered, String reason, String detail, int attempts) {
    static Outcome delivered(int attempts) {
        return new Outcome(true, null, null, attempts);
    }

    static Outcome failed(String reason, String detail, int attempts) {
        return new Outcome(false, reason, detail, attempts);
    }
}
