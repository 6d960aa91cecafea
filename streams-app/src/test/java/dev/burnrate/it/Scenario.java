package dev.burnrate.it;

import dev.burnrate.demo.AccessLogJson;
import java.util.ArrayList;
import java.util.List;

/** Generated traffic with incidents, as records assigned to input partitions, in event-time order per partition. */
final class Scenario {
    record Rec(int partition, long ts, byte[] value) {
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
        List<Rec> out = new ArrayList<>();
        AccessLogJson[] conventions = AccessLogJson.values();
        long step = 1000L / perServicePerSecond;
        int n = 0;
        for (long ts = start; ts < end; ts += step) {
            for (String service : services) {
                int status = 200;
                for (Incident i : incidents) {
                    if (i.service().equals(service) && ts >= i.fromMs() && ts < i.toMs() && n % i.everyNth() == 0) status = i.code();
                }
                String route = (n % 3 == 0) ? "/api/pay" : "/api/items/" + (n % 50);
                out.add(new Rec(n % partitions, ts, conventions[n % conventions.length].bytes(ts, service, route, "GET", status, 20)));
                n++;
            }
        }
        return out;
    }
}
