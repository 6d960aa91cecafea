package dev.burnrate.serde;

/**
 * A schema lookup or registration that <em>failed</em>, as opposed to one that found nothing: the registry is
 * unreachable, timed out, refused the credentials, answered with an error, or answered something that is not a
 * Schema Registry response. Unchecked on purpose: it is an infrastructure failure that should stop the stream
 * thread (and be retried by a restart), never a reason to dead-letter the record being processed.
 */
public class SchemaResolverException extends RuntimeException {
    public SchemaResolverException(String message) {
        super(message);
    }

    public SchemaResolverException(String message, Throwable cause) {
        super(message, cause);
    }
}
