package dev.burnrate.it;

import dev.burnrate.demo.AccessLogJson;
import java.util.ArrayList;
import java.util.List;

/** Generated traffic with incidents, as records assigned to input partitions, in event-time order per partition. */
final class Scenario {
    record Rec(int partition, long ts, String service, int status, byte[] value) {
    }

    /** An incident: from..to, the service's error ratio (every n-th request fails with code). */
    record Incident(String service, long fromMs, long toMs, int everyNth, int code) {
    }

    private Scenario() {
    }

    /**
     * Every service gets {@code perServicePerSecond} requests/s from start to end; records are spread round-robin
     * over {@code partitions}, so each service's events land on every partition (the by-service hand-over matters).
     */
    static List<Rec> generate(long start, long end, List<String> services, int perServicePerSecond, int partitions,
                              List<Incident> incidents) {
        return generateEvery(start, end, services, 1000L / perServicePerSecond, partitions, incidents);
    }

    /** As {@link #generate}, with one request per service every {@code step} ms (slower than 1/s when above 1000). */
    static List<Rec> generateEvery(long start, long end, List<String> services, long step, int partitions,
                                   List<Incident> incidents) {
        List<Rec> out = new ArrayList<>();
        AccessLogJson[] conventions = AccessLogJson.values();
        int n = 0;
        for (long ts = start; ts < end; ts += step) {
            for (String service : services) {
                int status = 200;
                for (Incident i : incidents) {
                    if (i.service().equals(service) && ts >= i.fromMs() && ts < i.toMs() && n % i.everyNth() == 0) status = i.code();
                }
                String route = (n % 3 == 0) ? "/api/pay" : "/api/items/" + (n % 50);
                out.add(new Rec(n % partitions, ts, service, status, conventions[n % conventions.length].bytes(ts, service, route, "GET", status, 20)));
                n++;
            }
        }
        return out;
    }
}
