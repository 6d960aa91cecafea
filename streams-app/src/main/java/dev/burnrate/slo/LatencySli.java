package dev.burnrate.slo;

import dev.burnrate.core.Durations;
import dev.burnrate.core.LatencyCounting;
import dev.burnrate.core.Counts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A latency SLI: a request is bad when it is slower than the threshold (strictly), or, with {@code errors}, when its
 * status is an error. A request without a duration is left out (neither good nor bad), unless its status makes it
 * bad anyway. The ingest stage classifies every request against the threshold itself, so any threshold is exact
 * (no histogram bucket edge involved): Counts keep, per SLI, the requests left out and the bad ones.
 *
 * @param threshold slower than this is bad; whole milliseconds, > 0
 * @param errors    statuses that are bad whatever the duration; null for latency alone
 */
public record LatencySli(Duration threshold, ErrorDefinition errors) {
    public LatencySli {
        if (threshold == null || threshold.isNegative() || threshold.isZero()) throw new IllegalArgumentException("latency threshold must be > 0");
    }

    /** What identifies the SLI's counts in the state: its threshold and its error statuses. */
    public String definition() {
        return "slower than " + Durations.format(threshold) + (errors == null ? "" : " or " + errors);
    }

    /**
     * The SLI's id in the state: a hash of its definition, so the same SLI finds its counts again after a restart or
     * a change elsewhere in the SLO file, and a changed one starts afresh. See {@link SloConfig} for collisions.
     */
    public int id() {
        return definition().hashCode() & (LatencyCounting.MAX_ID - 1);
    }

    /** Requests the SLI counts (good or bad). */
    public long events(Counts c) {
        return c.requests() - c.code(LatencyCounting.excludedKey(id()));
    }

    public long bad(Counts c) {
        return c.code(LatencyCounting.badKey(id()));
    }

    /** The config-file list form, e.g. {@code [">300ms", "5xx"]}. */
    public List<String> toList() {
        List<String> out = new ArrayList<>();
        out.add(">" + Durations.format(threshold));
        if (errors != null) out.addAll(errors.toList());
        return out;
    }

    /** What the ingest stage counts for the latency SLIs of these SLOs. */
    public static LatencyCounting counting(SloConfig slos) {
        Map<LatencySli, List<Slo>> bySli = new LinkedHashMap<>();
        for (Slo s : slos.slos()) if (s.latency() != null) bySli.computeIfAbsent(s.latency(), k -> new ArrayList<>()).add(s);
        List<LatencyCounting.Spec> specs = new ArrayList<>();
        bySli.forEach((sli, users) -> {
            boolean[] errorStatus = null;
            if (sli.errors() != null) {
                errorStatus = new boolean[600];
                for (int status = 100; status < 600; status++) errorStatus[status] = sli.errors().isError(status);
            }
            specs.add(new LatencyCounting.Spec(sli.id(), sli.threshold().toNanos() / 1e6, errorStatus,
                    service -> users.stream().anyMatch(s -> s.coversService(service))));
        });
        return new LatencyCounting(specs);
    }
}
