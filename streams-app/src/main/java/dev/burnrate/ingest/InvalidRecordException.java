package dev.burnrate.ingest;

import dev.burnrate.core.DeadLetterReason;

/**
 * A record that cannot become an {@link AccessEvent}. Expected bad input, not a bug: it carries no stack trace
 * and goes to the dead-letter topic with its reason and message.
 */
public final class InvalidRecordException extends Exception {
    private final DeadLetterReason reason;

    public InvalidRecordException(DeadLetterReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
