package dev.burnrate.query;

/** A query parameter is missing, malformed or out of bounds: HTTP 400 with the message. */
public final class BadRequestException extends RuntimeException {
    public BadRequestException(String message) {
        super(message, null, false, false);
    }
}
