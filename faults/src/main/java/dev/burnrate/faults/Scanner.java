package dev.burnrate.faults;

import dev.burnrate.demo.AccessLogJson;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A scanner on one service: requests for random URLs, every path distinct and of letters only (route normalisation
 * would fold digits, hex and long tokens into the placeholder), with a query string to drop; a 404 each, every 50th a
 * 500 (so the service's error ratio, and its alerts, depend on every one of them being counted). Mixed into the
 * traffic as an {@link Traffic.Extra}; counts what it produced before the traffic's end, which the windows must show
 * in full: the routes past the cap under the overflow route.
 */
final class Scanner implements Traffic.Extra {
    static final int ERROR_EVERY = 50;

    final String service;
    private final int count;
    private final long end;
    private final Random rnd;
    private long requests;
    private long errors;

    Scanner(String service, int count, long end, long seed) {
        this.service = service;
        this.count = count;
        this.end = end;
        this.rnd = new Random(seed);
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public byte[] record(int index, long ts) {
        int status = index % ERROR_EVERY == ERROR_EVERY - 1 ? 500 : 404;
        if (ts < end) {
            requests++;
            if (status >= 500) errors++;
        }
        String path = "/" + word(3 + rnd.nextInt(8)) + "/" + letters(index) + (index % 3 == 0 ? ".php" : "") + "?q=" + rnd.nextInt();
        AccessLogJson convention = AccessLogJson.values()[index % AccessLogJson.values().length];
        return convention.bytes(ts, service, path, "GET", status, 1);
    }

    @Override
    public Map<String, List<Long>> counted() {
        return Map.of(service, List.of(requests, errors));
    }

    private String word(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) b.append((char) ('a' + rnd.nextInt(26)));
        return b.toString();
    }

    /** The index in base 26, as letters: distinct per request. */
    private static String letters(int index) {
        StringBuilder b = new StringBuilder();
        do {
            b.append((char) ('a' + index % 26));
            index /= 26;
        } while (index > 0);
        return b.toString();
    }
}
