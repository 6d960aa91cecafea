package dev.burnrate.slo;

import dev.burnrate.slo.LocatedYaml.Entry;
import dev.burnrate.slo.LocatedYaml.MapNode;
import dev.burnrate.slo.LocatedYaml.Node;
import dev.burnrate.slo.LocatedYaml.ScalarNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads the SLO file (its format: the README's "SLOs and rules"; rules are read by {@link RuleReader}). Every
 * problem is a {@link SloConfigException} naming the file, the line and the key path, e.g.
 * {@code config/slos.yaml:12: slos[0].objective: must be between 0 and 100 (exclusive), got 100.5}; the first
 * problem found stops the load (the processor refuses to start on a bad file rather than run a partial config).
 * No file at all ({@link #loadOrDefault} with null): {@link SloConfig#defaultConfig()}.
 */
public final class SloFileLoader {
    private static final Set<String> ROOT_KEYS = Set.of("defaults", "slos");
    private static final Set<String> DEFAULTS_KEYS = Set.of("minRequests");
    private static final Set<String> SLO_KEYS = Set.of("name", "objective", "period", "timezone", "services", "routes",
            "errors", "latency", "groupBy", "minRequests", "labels", "annotations", "rules");
    private static final Set<String> LATENCY_KEYS = Set.of("threshold");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> RESERVED_LABELS = Set.of("alertname", "severity", "slo", "service", "route");

    private final YamlFields y;
    private final RuleReader ruleReader;

    private SloFileLoader(Path file) {
        this.y = new YamlFields(file);
        this.ruleReader = new RuleReader(y);
    }

    /** Loads and validates {@code file}; throws {@link SloConfigException} on any problem, including a missing file. */
    public static SloConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new SloConfigException(file, 0, null, Files.exists(file) ? "not a regular file"
                    : "SLO file not found (resolved to " + file.toAbsolutePath() + ")");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SloConfigException(file, 0, null, "cannot read: " + e);
        }
        return parse(file, text);
    }

    /** {@link SloConfig#defaultConfig()} when {@code fileOrNull} is null, else {@link #load(Path)}. */
    public static SloConfig loadOrDefault(Path fileOrNull) {
        return fileOrNull == null ? SloConfig.defaultConfig() : load(fileOrNull);
    }

    /** Parses YAML text; {@code file} is only used in messages. */
    public static SloConfig parse(Path file, String yaml) {
        return new SloFileLoader(file).config(LocatedYaml.parse(file, yaml));
    }

    // ---------------------------------------------------------------------------------------------------------

    private SloConfig config(Node root) {
        if (root == null) throw y.error(1, null, "the file is empty; expected a 'slos:' list");
        MapNode m = y.map(root, "");
        y.checkKeys(m, "", ROOT_KEYS);
        long minRequests = Slo.DEFAULT_MIN_REQUESTS;
        Entry defaults = m.entry("defaults");
        if (defaults != null) {
            MapNode d = y.map(defaults.value(), "defaults");
            y.checkKeys(d, "defaults", DEFAULTS_KEYS);
            Entry mr = d.entry("minRequests");
            if (mr != null) minRequests = y.nonNegativeLong(mr.value(), "defaults.minRequests");
        }
        Entry slosEntry = y.required(m, "slos", "");
        List<Node> items = y.list(slosEntry.value(), "slos");
        if (items.isEmpty()) {
            throw y.error(slosEntry.keyLine(), "slos", "no SLO defined; delete the file to use the default availability SLO");
        }
        List<Slo> slos = new ArrayList<>();
        Map<String, Integer> nameLines = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String path = "slos[" + i + "]";
            Slo slo = slo(items.get(i), path, minRequests);
            Node nameNode = y.map(items.get(i), path).entry("name").value();
            Integer firstLine = nameLines.putIfAbsent(slo.name(), nameNode.line());
            if (firstLine != null) {
                throw y.error(nameNode.line(), path + ".name", "duplicate SLO name '" + slo.name() + "' (first used at line " + firstLine + ")");
            }
            slos.add(slo);
        }
        try {
            return new SloConfig(slos);
        } catch (IllegalArgumentException ex) { // two latency SLIs whose state ids collide
            throw y.error(slosEntry.keyLine(), "slos", ex.getMessage());
        }
    }

    private Slo slo(Node node, String path, long defaultMinRequests) {
        MapNode m = y.map(node, path);
        y.checkKeys(m, path, SLO_KEYS);

        Entry nameEntry = y.required(m, "name", path);
        String name = y.string(nameEntry.value(), path + ".name");
        if (!Slo.NAME.matcher(name).matches()) {
            throw y.error(nameEntry.value().line(), path + ".name", "must match [a-z0-9_.-]+ (lowercase letters, digits, _ . -), got '" + name + "'");
        }

        Entry objEntry = y.required(m, "objective", path);
        double objective = objective(objEntry.value(), path + ".objective");

        SloPeriod period = period(m, path);
        Entry e;

        List<String> services = globs(m.entry("services"), path + ".services");
        List<String> routes = globs(m.entry("routes"), path + ".routes");

        ErrorDefinition errors = ErrorDefinition.DEFAULT;
        e = m.entry("errors");
        if (e != null) errors = errors(e.value(), path + ".errors");
        LatencySli latency = latency(m.entry("latency"), path + ".latency", e == null ? null : errors);

        GroupBy groupBy = GroupBy.SERVICE;
        e = m.entry("groupBy");
        if (e != null) {
            String s = y.string(e.value(), path + ".groupBy");
            try {
                groupBy = GroupBy.parse(s);
            } catch (IllegalArgumentException ex) {
                throw y.error(e.value().line(), path + ".groupBy", ex.getMessage());
            }
        }

        long minRequests = defaultMinRequests;
        e = m.entry("minRequests");
        if (e != null) minRequests = y.nonNegativeLong(e.value(), path + ".minRequests");

        Map<String, String> labels = stringMap(m.entry("labels"), path + ".labels", true);
        Map<String, String> annotations = stringMap(m.entry("annotations"), path + ".annotations", false);

        List<AlertRule> rules = DefaultRules.multiWindowMultiBurnRate(period.nominal());
        e = m.entry("rules");
        if (e != null) rules = ruleReader.rules(e.value(), path + ".rules", name, period);

        try {
            return new Slo(name, objective, period, Selector.of(services, routes), errors, groupBy, minRequests,
                    labels, annotations, rules, latency);
        } catch (IllegalArgumentException ex) { // every check above should have caught it first
            throw y.error(m.line(), path, ex.getMessage());
        }
    }

    /**
     * {@code latency: {threshold: 300ms}}: requests slower than the threshold are bad, and with an {@code errors:}
     * key of the SLO also requests with those statuses. Null without the key.
     */
    private LatencySli latency(Entry e, String path, ErrorDefinition errorsOrNull) {
        if (e == null) return null;
        MapNode m = y.map(e.value(), path);
        y.checkKeys(m, path, LATENCY_KEYS);
        Entry t = y.required(m, "threshold", path);
        Duration threshold;
        try {
            threshold = y.positiveDuration(t.value(), path + ".threshold");
        } catch (SloConfigException ex) {
            throw y.error(ex.line(), ex.key(), ex.detail() + " (a latency threshold: e.g. 300ms, 1s or 1s500ms)");
        }
        return new LatencySli(threshold, errorsOrNull);
    }

    /** {@code period: 30d} (rolling, the default) or {@code month}/{@code week} with an optional {@code timezone}. */
    private SloPeriod period(MapNode m, String path) {
        Entry p = m.entry("period");
        Entry tz = m.entry("timezone");
        SloPeriod.Calendar.Unit unit = null;
        if (p != null && p.value() instanceof ScalarNode s && s.value() instanceof String str) {
            for (SloPeriod.Calendar.Unit u : SloPeriod.Calendar.Unit.values()) if (u.configName().equals(str.strip())) unit = u;
        }
        if (unit == null) {
            SloPeriod rolling = Slo.DEFAULT_PERIOD;
            if (p != null) {
                try {
                    rolling = SloPeriod.rolling(y.positiveDuration(p.value(), path + ".period"));
                } catch (SloConfigException ex) {
                    throw y.error(ex.line(), ex.key(), ex.detail() + "; or month / week for a calendar budget");
                }
            }
            if (tz != null) {
                throw y.error(tz.keyLine(), path + ".timezone", "a time zone applies to a calendar period (period: month or week) only; "
                        + (p == null ? "the default period, " : "period ") + rolling.label() + ", is rolling");
            }
            return rolling;
        }
        java.time.ZoneId zone = java.time.ZoneOffset.UTC;
        if (tz != null) {
            String id = y.string(tz.value(), path + ".timezone");
            try {
                zone = java.time.ZoneId.of(id.strip());
            } catch (java.time.DateTimeException ex) {
                throw y.error(tz.value().line(), path + ".timezone", "unknown time zone '" + id + "'; expected a region like Europe/Berlin, "
                        + "America/New_York or UTC");
            }
        }
        return new SloPeriod.Calendar(unit, zone);
    }

    private double objective(Node n, String path) {
        BigDecimal percent;
        if (n instanceof ScalarNode s && s.value() instanceof String str && str.strip().endsWith("%")) {
            percent = y.decimal(str.strip().substring(0, str.strip().length() - 1), n, path, "a percentage like 99.9");
        } else {
            percent = y.decimal(n, path, "a percentage like 99.9");
        }
        if (percent.signum() <= 0 || percent.compareTo(BigDecimal.valueOf(100)) >= 0) {
            throw y.error(n.line(), path, "must be between 0 and 100 (exclusive), got " + percent.toPlainString());
        }
        if (percent.compareTo(BigDecimal.ONE) < 0) {
            throw y.error(n.line(), path, "objective " + percent.toPlainString() + "% looks like a ratio; it is a percentage: write "
                    + percent.movePointRight(2).stripTrailingZeros().toPlainString() + " for " + percent.toPlainString());
        }
        return percent.movePointLeft(2).doubleValue();
    }

    private List<String> globs(Entry e, String path) {
        if (e == null) return List.of();
        List<Node> items = e.value() instanceof ScalarNode s && !s.isNull() ? List.of(e.value()) : y.list(e.value(), path);
        if (items.isEmpty()) {
            throw y.error(e.keyLine(), path, "empty list; omit the key to cover everything");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String p = items.size() == 1 && e.value() instanceof ScalarNode ? path : path + "[" + i + "]";
            String g = y.string(items.get(i), p);
            try {
                new Glob(g);
            } catch (IllegalArgumentException ex) {
                throw y.error(items.get(i).line(), p, ex.getMessage());
            }
            out.add(g);
        }
        return out;
    }

    private ErrorDefinition errors(Node n, String path) {
        List<Node> items = n instanceof ScalarNode s && !s.isNull() ? List.of(n) : y.list(n, path);
        if (items.isEmpty()) throw y.error(n.line(), path, "must list at least one status family or code, e.g. [\"5xx\"]");
        Set<Integer> families = new java.util.TreeSet<>();
        Set<Integer> codes = new java.util.TreeSet<>();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String p = n instanceof ScalarNode ? path : path + "[" + i + "]";
            if (!(item instanceof ScalarNode s) || s.isNull()) {
                throw y.error(item.line(), p, "expected a status family like \"5xx\" or a code like 429, got " + item.kind());
            }
            try {
                int v = ErrorDefinition.parseItem(s.text());
                (v <= 5 ? families : codes).add(v);
            } catch (IllegalArgumentException ex) {
                throw y.error(item.line(), p, ex.getMessage());
            }
        }
        return new ErrorDefinition(families, codes);
    }

    private Map<String, String> stringMap(Entry e, String path, boolean isLabels) {
        if (e == null) return Map.of();
        MapNode m = y.map(e.value(), path);
        Map<String, String> out = new LinkedHashMap<>();
        for (Entry kv : m.entries().values()) {
            String p = path + "." + kv.key();
            if (!LABEL_NAME.matcher(kv.key()).matches()) {
                throw y.error(kv.keyLine(), p, "invalid name; must match [a-zA-Z_][a-zA-Z0-9_]*");
            }
            if (isLabels && RESERVED_LABELS.contains(kv.key())) {
                throw y.error(kv.keyLine(), p, "reserved label (set by the processor on every alert): " + String.join(", ", YamlFields.sorted(RESERVED_LABELS)));
            }
            if (!(kv.value() instanceof ScalarNode s) || s.isNull()) {
                throw y.error(kv.value().line(), p, "expected a string value, got " + kv.value().kind());
            }
            out.put(kv.key(), s.text());
        }
        return out;
    }

}
