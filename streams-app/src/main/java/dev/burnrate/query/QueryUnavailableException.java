package dev.burnrate.query;

/** The answer cannot be given right now (rebalance, restoration, an instance unreachable): HTTP 503 with the reason. */
public final class QueryUnavailableException extends RuntimeException {
    public QueryUnavailableException(String reason) {
        super(reason, null, false, false);
    }
}
