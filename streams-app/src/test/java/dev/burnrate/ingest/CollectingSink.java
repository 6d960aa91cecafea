package dev.burnrate.ingest;

import dev.burnrate.core.SkipReason;
import java.util.ArrayList;
import java.util.List;

/** For tests: keeps what a decoder gave, in order. */
public final class CollectingSink implements EventDecoder.Sink {
    public final List<AccessEvent> events = new ArrayList<>();
    public final List<SkipReason> skipped = new ArrayList<>();

    @Override
    public void event(AccessEvent event) {
        events.add(event);
    }

    @Override
    public void skipped(SkipReason reason) {
        skipped.add(reason);
    }

    /** The only event. */
    public AccessEvent single() {
        if (events.size() != 1 || !skipped.isEmpty()) {
            throw new AssertionError("expected one event and no skipped entry, got " + events + " skipped " + skipped);
        }
        return events.get(0);
    }
}
