package dev.burnrate.slo;

import dev.burnrate.core.Durations;
import dev.burnrate.slo.LocatedYaml.Entry;
import dev.burnrate.slo.LocatedYaml.ListNode;
import dev.burnrate.slo.LocatedYaml.MapNode;
import dev.burnrate.slo.LocatedYaml.Node;
import dev.burnrate.slo.LocatedYaml.ScalarNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Typed access to the nodes of one SLO file: each accessor returns the value or throws a {@link SloConfigException}
 * naming the file, the node's line, the key path and what was expected.
 */
final class YamlFields {
    private final Path file;

    YamlFields(Path file) {
        this.file = file;
    }

    MapNode map(Node n, String path) {
        if (n instanceof MapNode m) return m;
        throw error(n.line(), path.isEmpty() ? null : path, "expected a mapping (key: value), got " + n.kind());
    }

    List<Node> list(Node n, String path) {
        if (n instanceof ListNode l) return l.items();
        throw error(n.line(), path, "expected a list, got " + n.kind());
    }

    String string(Node n, String path) {
        if (n instanceof ScalarNode s && s.value() instanceof String str) return str;
        throw error(n.line(), path, "expected a string, got " + n.kind());
    }

    BigDecimal decimal(Node n, String path, String expected) {
        if (n instanceof ScalarNode s) {
            if (s.value() instanceof BigDecimal d) return d;
            if (s.value() instanceof Integer || s.value() instanceof Long || s.value() instanceof BigInteger) {
                return new BigDecimal(s.value().toString());
            }
            if (s.value() instanceof String str) return decimal(str, n, path, expected);
        }
        throw error(n.line(), path, "expected " + expected + ", got " + n.kind());
    }

    BigDecimal decimal(String text, Node n, String path, String expected) {
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw error(n.line(), path, "expected " + expected + ", got " + n.kind());
        }
    }

    long nonNegativeLong(Node n, String path) {
        if (n instanceof ScalarNode s && (s.value() instanceof Integer || s.value() instanceof Long)) {
            long v = ((Number) s.value()).longValue();
            if (v >= 0) return v;
            throw error(n.line(), path, "must be >= 0, got " + v);
        }
        throw error(n.line(), path, "expected a whole number >= 0, got " + n.kind());
    }

    Duration duration(Node n, String path) {
        if (n instanceof ScalarNode s && (s.value() instanceof String || s.isNumber())) {
            try {
                return Durations.parse(s.text());
            } catch (IllegalArgumentException e) {
                throw error(n.line(), path, e.getMessage());
            }
        }
        throw error(n.line(), path, "expected a duration like 5m, 1h or 30d, got " + n.kind());
    }

    Duration positiveDuration(Node n, String path) {
        Duration d = duration(n, path);
        if (d.isZero()) throw error(n.line(), path, "must be > 0");
        return d;
    }

    Entry required(MapNode m, String key, String path) {
        Entry e = m.entry(key);
        String p = path.isEmpty() ? key : path + "." + key;
        if (e == null) throw error(m.line(), p, "required key is missing");
        if (e.value() instanceof ScalarNode s && s.isNull()) throw error(e.keyLine(), p, "required key has no value");
        return e;
    }

    void checkKeys(MapNode m, String path, Set<String> allowed) {
        for (Entry e : m.entries().values()) {
            String p = path.isEmpty() ? e.key() : path + "." + e.key();
            if (!allowed.contains(e.key())) {
                String closest = closest(e.key(), allowed);
                throw error(e.keyLine(), p, "unknown key '" + e.key() + "'"
                        + (closest != null ? " (did you mean '" + closest + "'?)" : "")
                        + "; valid keys: " + String.join(", ", sorted(allowed)));
            }
            if (e.value() instanceof ScalarNode s && s.isNull()) {
                throw error(e.keyLine(), p, "has no value; remove the key to use the default");
            }
        }
    }

    SloConfigException error(int line, String path, String detail) {
        return new SloConfigException(file, line, path, detail);
    }

    /** The allowed key closest to a typo (edit distance, case-insensitive), or null if none is plausibly meant. */
    static String closest(String key, Set<String> allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : sorted(allowed)) {
            int d = editDistance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, best.length() / 3) ? best : null;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    @SafeVarargs
    static Set<String> union(Set<String>... sets) {
        Set<String> out = new LinkedHashSet<>();
        for (Set<String> s : sets) out.addAll(s);
        return Set.copyOf(out);
    }
}
