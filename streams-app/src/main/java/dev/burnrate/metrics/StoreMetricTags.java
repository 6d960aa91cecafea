package dev.burnrate.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * Kafka Streams tags its store metrics with a key naming the store type ({@code rocksdb-state-id},
 * {@code in-memory-state-id}, ...). Prometheus requires one set of tag keys per metric name, so the second store
 * type to report a metric would be refused (with a warning in the log) and its figures lost. This filter gives them
 * one key, {@code state.id}, and moves the type into {@code store.type}.
 */
public final class StoreMetricTags implements MeterFilter {
    private static final String SUFFIX = ".state.id";

    @Override
    public Meter.Id map(Meter.Id id) {
        List<Tag> tags = null;
        for (Tag t : id.getTagsAsIterable()) {
            if (t.getKey().endsWith(SUFFIX) && !t.getKey().equals("state.id")) {
                tags = new ArrayList<>();
                for (Tag other : id.getTagsAsIterable()) {
                    if (other == t) {
                        tags.add(Tag.of("state.id", t.getValue()));
                        tags.add(Tag.of("store.type", t.getKey().substring(0, t.getKey().length() - SUFFIX.length())));
                    } else {
                        tags.add(other);
                    }
                }
                break;
            }
        }
        return tags == null ? id : id.replaceTags(tags);
    }
}
