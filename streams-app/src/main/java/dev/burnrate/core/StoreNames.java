package dev.burnrate.core;

/**
 * The state stores' names: they name the changelog topics ({@code <app-id>-<name>-changelog}) and the stores the
 * query side asks Kafka Streams for, so they never change.
 */
public final class StoreNames {
    /** The ingest stage's counts not yet handed over. */
    public static final String INGEST_BUFFER = "ingest-buffer";
    /** The windows stage's bucket tiers. */
    public static final String BUCKETS = "buckets";
    /** Each service's routes, capped. */
    public static final String ROUTES = "routes";
    /** The watermark: how far every input partition has got, and the last evaluated instant. */
    public static final String PROGRESS = "progress";
    /** The alert state machines, by alert identity. */
    public static final String ALERT_STATE = "alert-state";

    private StoreNames() {
    }
}
