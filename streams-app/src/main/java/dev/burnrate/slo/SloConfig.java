package dev.burnrate.slo;

import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Every SLO the processor evaluates. */
public record SloConfig(List<Slo> slos) {
    public SloConfig {
        slos = List.copyOf(slos);
        Set<String> names = new HashSet<>();
        for (Slo s : slos) if (!names.add(s.name())) throw new IllegalArgumentException("duplicate SLO name " + s.name());
        java.util.Map<Integer, LatencySli> ids = new java.util.HashMap<>();
        for (Slo s : slos) {
            if (s.latency() == null) continue;
            LatencySli other = ids.putIfAbsent(s.latency().id(), s.latency());
            if (other != null && !other.equals(s.latency())) { // about one chance in 10^5 for a handful of SLIs
                throw new IllegalArgumentException("SLO " + s.name() + ": latency SLI '" + s.latency().definition() + "' has the same state id as '"
                        + other.definition() + "'; change its threshold by a millisecond");
            }
        }
    }

    /** Used when there is no SLO file: {@code availability}, 99.5% over 30d, every service, 5xx, by service. */
    public static SloConfig defaultConfig() {
        return new SloConfig(List.of(Slo.of("availability", 0.995)));
    }

    /** Every window any rule of any SLO reads, ascending: what the windows layer must be able to answer. */
    public Set<Duration> allWindows() {
        TreeSet<Duration> all = new TreeSet<>();
        for (Slo s : slos) for (AlertRule r : s.rules()) all.addAll(r.windows());
        return Collections.unmodifiableSortedSet(all);
    }

    public Slo slo(String name) {
        for (Slo s : slos) if (s.name().equals(name)) return s;
        return null;
    }
}
