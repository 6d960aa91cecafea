package dev.burnrate.core;

/**
 * Why an entry of a batch (an OTLP log record or span) was not counted, although the batch itself was good: it is
 * not an HTTP request served. Skipped entries are counted in a metric per reason, never dead-lettered: a collector
 * ships all of a service's logs and spans, and most of them are not requests.
 */
public enum SkipReason {
    /** a log record, or a SERVER span, with no HTTP status code: some other log line, a gRPC call, ... */
    NOT_HTTP,
    /** a CLIENT, INTERNAL, PRODUCER or CONSUMER span: a request is counted once, by the span of the server that served it */
    NOT_SERVER_SPAN;

    /** kebab-case name used in the metric tag, e.g. "not-server-span". */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
