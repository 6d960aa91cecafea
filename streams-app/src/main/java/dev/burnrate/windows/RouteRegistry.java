package dev.burnrate.windows;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Deserializer;
import dev.burnrate.metrics.ProcessorMetrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The services this task owns and the distinct routes of each, capped: once a service has {@code ingest.route.cap}
 * routes, new ones are counted under the overflow route, so a scanner hitting random URLs cannot blow up state.
 * The store (changelogged) is the truth as of the last commit; the in-memory copy avoids a store read per event,
 * and a service's list is written once per commit that admitted routes to it ({@link #flushPending}).
 */
public final class RouteRegistry {

    private final KeyValueStore<String, List<String>> store;
    private final int cap;
    private final String overflowRoute;
    private final ProcessorMetrics metrics;
    private final Map<String, Set<String>> routes = new HashMap<>();
    /** Services with routes admitted since the last commit. */
    private final Set<String> changed = new HashSet<>();

    public RouteRegistry(KeyValueStore<String, List<String>> store, int cap, String overflowRoute, ProcessorMetrics metrics) {
        this.store = store;
        this.cap = cap;
        this.overflowRoute = overflowRoute;
        this.metrics = metrics;
        try (KeyValueIterator<String, List<String>> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, List<String>> kv = it.next();
                routes.put(kv.key, new LinkedHashSet<>(kv.value));
            }
        }
    }

    /**
     * The route to count these {@code n} requests under: the route itself, or the overflow route once the cap is
     * reached.
     */
    public String admit(String service, String route, long n) {
        Set<String> known = routes.computeIfAbsent(service, s -> new LinkedHashSet<>());
        if (known.contains(route)) return route;
        String admitted = route;
        if (!route.equals(overflowRoute) && countWithoutOverflow(known) >= cap) {
            metrics.overflowed(n);
            admitted = overflowRoute;
            if (known.contains(admitted)) return admitted;
        }
        known.add(admitted);
        changed.add(service);
        return admitted;
    }

    /**
     * Before each commit: the lists of the services with new routes, each once. Written at each admission, a list
     * was rewritten whole per new route: quadratic (a service reaching 5,000 routes wrote about 300 MB to the store
     * and its changelog).
     */
    public void flushPending() {
        for (String service : changed) store.put(service, List.copyOf(routes.get(service)));
        changed.clear();
    }

    private int countWithoutOverflow(Set<String> known) {
        return known.contains(overflowRoute) ? known.size() - 1 : known.size();
    }

    public List<String> services() {
        List<String> s = new ArrayList<>(routes.keySet());
        Collections.sort(s);
        return s;
    }

    public Set<String> routes(String service) {
        return Collections.unmodifiableSet(routes.getOrDefault(service, Set.of()));
    }

    /** The store's values: a service's routes in admission order, one per line (names hold no line separator). */
    public static final Serde<List<String>> ROUTES_SERDE = Serdes.serdeFrom(
            (Serializer<List<String>>) (topic, routes) -> routes == null ? null : String.join("\n", routes).getBytes(StandardCharsets.UTF_8),
            (Deserializer<List<String>>) (topic, b) -> {
                if (b == null) return null;
                String s = new String(b, StandardCharsets.UTF_8);
                return s.isEmpty() ? List.of() : List.of(s.split("\n"));
            });
}
