package dev.burnrate.reference;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Seeded random access-log traffic over several days of event time, for comparing the processor with
 * {@link ExactAlerts}: several services of very different rates (one low enough for the minimum-request guard to
 * matter), each with a daily rate swing, a small background error ratio and random incidents on top:
 * <ul>
 * <li>outages: 1 minute to 8 hours, error ratio 0.4% to 60%, on the whole service or on one route;</li>
 * <li>slow burns: 6 to 36 hours at 0.3% to 2.5% (0.6x to 5x the budget of a 99.5% SLO);</li>
 * <li>flapping: 30 minutes to 4 hours alternating 1-10 minutes of 5-50% errors with 1-10 healthy minutes;</li>
 * <li>pauses (the service sends nothing for 10 minutes to 8 hours) and services that stop for good.</li>
 * </ul>
 * Events are in event-time order. No event time is a multiple of 10 seconds, so a window (t - W, t] and a window
 * [t - W, t) at an instant t that is a multiple of the evaluation step hold the same events: the reference does
 * not depend on which end of a window an implementation makes inclusive. After the last event of the traffic, one
 * healthy request of a separate service ({@link #CLOCK_SERVICE}) comes {@link #TAIL} later, so that every
 * implementation evaluates far enough for every episode to resolve (no rule's guard window is longer than 6h).
 */
public final class RandomTraffic {
    public static final String CLOCK_SERVICE = "zz-clock";
    public static final long TAIL = 6 * 3_600_000L + 20 * 60_000L;
    static final String[] ROUTES = {"/api/pay", "/api/cart", "/api/search"};
    private static final int[] ERROR_CODES = {500, 502, 503, 504};
    private static final long MIN = 60_000;
    private static final long HOUR = 60 * MIN;
    private static final long DAY = 24 * HOUR;

    public final long seed;
    public final List<String> services = new ArrayList<>();
    /** What was generated, one line per service and incident, for failure messages. */
    public final List<String> description = new ArrayList<>();
    private long[] ts = new long[1 << 16];
    private byte[] service = new byte[1 << 16];
    private byte[] route = new byte[1 << 16];
    private short[] status = new short[1 << 16];
    private int size;

    private RandomTraffic(long seed) {
        this.seed = seed;
    }

    public int size() {
        return size;
    }

    public long ts(int i) {
        return ts[i];
    }

    public String service(int i) {
        return services.get(service[i]);
    }

    public String route(int i) {
        return ROUTES[route[i]];
    }

    public int status(int i) {
        return status[i];
    }

    /** Event i as a plain JSON access-log line (the convention every shipper section of the README starts from). */
    public byte[] json(int i) {
        return ("{\"timestamp\":" + ts[i] + ",\"service\":\"" + service(i) + "\",\"route\":\"" + route(i)
                + "\",\"method\":\"GET\",\"status\":" + status[i] + "}").getBytes(StandardCharsets.UTF_8);
    }

    public long firstMs() {
        return ts[0];
    }

    public long lastMs() {
        return ts[size - 1];
    }

    /** One incident overlay: error ratio {@code ratio} in [from, to) (on {@code route} only, or all routes if -1). */
    private record Overlay(long from, long to, double ratio, int route, long onMs, long offMs) {
        boolean active(long t, int r) {
            if (t < from || t >= to || (route >= 0 && route != r)) return false;
            return onMs <= 0 || (t - from) % (onMs + offMs) < onMs;
        }
    }

    private static final class Profile {
        String name;
        double rate; // mean requests per second
        double phase;
        double background;
        long stopAt = Long.MAX_VALUE;
        final List<Overlay> overlays = new ArrayList<>();
        final List<long[]> pauses = new ArrayList<>();

        double rateAt(long t) {
            for (long[] p : pauses) if (t >= p[0] && t < p[1]) return 0;
            if (t >= stopAt) return 0;
            return rate * (1 + 0.5 * Math.sin(2 * Math.PI * (t % DAY) / DAY + phase));
        }

        double errorRatio(long t, int r) {
            double p = background;
            for (Overlay o : overlays) if (o.active(t, r)) p = Math.max(p, o.ratio);
            return p;
        }
    }

    /**
     * @param serviceCount services (at least 3: the first is low traffic, the second stops for good)
     * @param meanRate     mean requests per second of an ordinary service
     */
    public static RandomTraffic generate(long seed, long startMs, long lengthMs, int serviceCount, double meanRate) {
        SplittableRandom rnd = new SplittableRandom(seed);
        RandomTraffic t = new RandomTraffic(seed);
        long end = startMs + lengthMs;
        List<Profile> profiles = new ArrayList<>();
        for (int s = 0; s < serviceCount; s++) {
            Profile p = new Profile();
            p.name = "svc-" + (char) ('a' + s);
            // the first service is low traffic: 0.03-0.08 req/s is 9-24 requests in 5m, around the guard of 20
            p.rate = s == 0 ? uniform(rnd, 0.03, 0.08) : meanRate * Math.exp(uniform(rnd, Math.log(0.4), Math.log(2.0)));
            p.phase = uniform(rnd, 0, 2 * Math.PI);
            p.background = uniform(rnd, 0, 0.002);
            if (s == 1) p.stopAt = startMs + (long) (lengthMs * uniform(rnd, 0.5, 0.85));
            int outages = 2 + rnd.nextInt(4);
            for (int i = 0; i < outages; i++) {
                long len = (long) Math.exp(uniform(rnd, Math.log(MIN), Math.log(8 * HOUR)));
                long from = startMs + (long) (rnd.nextDouble() * (lengthMs - len));
                double ratio = Math.exp(uniform(rnd, Math.log(0.004), Math.log(0.6)));
                p.overlays.add(new Overlay(from, from + len, ratio, rnd.nextInt(3) == 0 ? rnd.nextInt(ROUTES.length) : -1, 0, 0));
            }
            if (rnd.nextInt(3) != 0) {
                long len = (long) uniform(rnd, 6 * HOUR, 36 * HOUR);
                long from = startMs + (long) (rnd.nextDouble() * (lengthMs - len));
                p.overlays.add(new Overlay(from, from + len, uniform(rnd, 0.003, 0.025), -1, 0, 0));
            }
            if (rnd.nextInt(2) == 0) {
                long len = (long) uniform(rnd, 30 * MIN, 4 * HOUR);
                long from = startMs + (long) (rnd.nextDouble() * (lengthMs - len));
                p.overlays.add(new Overlay(from, from + len, uniform(rnd, 0.05, 0.5), -1,
                        (long) uniform(rnd, MIN, 10 * MIN), (long) uniform(rnd, MIN, 10 * MIN)));
            }
            if (s != 1 && rnd.nextInt(2) == 0) {
                long len = (long) Math.exp(uniform(rnd, Math.log(10 * MIN), Math.log(8 * HOUR)));
                long from = startMs + (long) (rnd.nextDouble() * (lengthMs - len));
                p.pauses.add(new long[]{from, from + len});
            }
            profiles.add(p);
            t.services.add(p.name);
            t.describe(p, startMs);
        }
        // one Poisson process per service (thinned for the daily swing), merged in time order
        double[] next = new double[serviceCount];
        for (int s = 0; s < serviceCount; s++) next[s] = startMs + exp(rnd, profiles.get(s).rate * 1.5);
        while (true) {
            int s = 0;
            for (int k = 1; k < serviceCount; k++) if (next[k] < next[s]) s = k;
            if (next[s] >= end) break;
            long at = (long) next[s];
            Profile p = profiles.get(s);
            next[s] += exp(rnd, p.rate * 1.5);
            if (rnd.nextDouble() * p.rate * 1.5 >= p.rateAt(at)) continue;
            if (at % 10_000 == 0) at++; // never on an instant: see the class comment
            int r = rnd.nextInt(10) < 6 ? 0 : 1 + rnd.nextInt(ROUTES.length - 1);
            int code = rnd.nextDouble() < p.errorRatio(at, r) ? ERROR_CODES[rnd.nextInt(ERROR_CODES.length)]
                    : rnd.nextInt(30) == 0 ? 404 : 200;
            t.add(at, s, r, code);
        }
        t.services.add(CLOCK_SERVICE);
        t.add(t.lastMs() + TAIL, serviceCount, 0, 200);
        return t;
    }

    /** Hand-made traffic, to check the reference itself: add events in time order with {@link #add(long, String, String, int)}. */
    public static RandomTraffic handMade(String... services) {
        RandomTraffic t = new RandomTraffic(0);
        t.services.addAll(List.of(services));
        return t;
    }

    /** @param route one of /api/pay, /api/cart, /api/search */
    public void add(long at, String service, String route, int code) {
        add(at, services.indexOf(service), List.of(ROUTES).indexOf(route), code);
    }

    private void add(long at, int s, int r, int code) {
        if (s < 0 || r < 0) throw new IllegalArgumentException("unknown service or route");
        if (size == ts.length) {
            int n = size * 2;
            ts = Arrays.copyOf(ts, n);
            service = Arrays.copyOf(service, n);
            route = Arrays.copyOf(route, n);
            status = Arrays.copyOf(status, n);
        }
        ts[size] = at;
        service[size] = (byte) s;
        route[size] = (byte) r;
        status[size] = (short) code;
        size++;
    }

    private void describe(Profile p, long startMs) {
        description.add(String.format(Locale.ROOT, "%s: %.3f req/s, background %.2f%% errors%s%s", p.name, p.rate, p.background * 100,
                p.stopAt == Long.MAX_VALUE ? "" : ", stops for good at " + java.time.Instant.ofEpochMilli(p.stopAt),
                p.pauses.isEmpty() ? "" : ", pause " + java.time.Instant.ofEpochMilli(p.pauses.get(0)[0]) + " for "
                        + (p.pauses.get(0)[1] - p.pauses.get(0)[0]) / MIN + "m"));
        for (Overlay o : p.overlays) {
            description.add(String.format(Locale.ROOT, "  %s %s for %dm: %.2f%% errors%s%s", o.onMs > 0 ? "flapping" : "incident",
                    java.time.Instant.ofEpochMilli(o.from), (o.to - o.from) / MIN, o.ratio * 100,
                    o.route < 0 ? "" : " on " + ROUTES[o.route],
                    o.onMs > 0 ? String.format(Locale.ROOT, " (%ds on, %ds off)", o.onMs / 1000, o.offMs / 1000) : ""));
        }
    }

    private static double uniform(SplittableRandom rnd, double lo, double hi) {
        return lo + rnd.nextDouble() * (hi - lo);
    }

    private static double exp(SplittableRandom rnd, double ratePerSecond) {
        return -Math.log(1 - rnd.nextDouble()) / ratePerSecond * 1000;
    }
}
