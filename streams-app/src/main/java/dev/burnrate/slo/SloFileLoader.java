package dev.burnrate.slo;

import dev.burnrate.slo.AlertRule.BudgetRule;
import dev.burnrate.slo.AlertRule.BurnRateRule;
import dev.burnrate.slo.AlertRule.NoTrafficRule;
import dev.burnrate.slo.AlertRule.ThresholdRule;
import dev.burnrate.slo.LocatedYaml.Entry;
import dev.burnrate.slo.LocatedYaml.ListNode;
import dev.burnrate.slo.LocatedYaml.MapNode;
import dev.burnrate.slo.LocatedYaml.Node;
import dev.burnrate.slo.LocatedYaml.ScalarNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads the SLO file. Every problem is a {@link SloConfigException} naming the file, the line and the key path, e.g.
 * {@code config/slos.yaml:12: slos[0].objective: must be between 0 and 100 (exclusive), got 100.5}; the first
 * problem found stops the load (the processor refuses to start on a bad file rather than run a partial config).
 *
 * <h2>Format</h2>
 * <pre>{@code
 * defaults:
 *   minRequests: 20                    # optional, default 20 (see below)
 * slos:                                # required, at least one SLO
 *   - name: checkout-availability      # required, unique, [a-z0-9_.-]+
 *     objective: 99.9                  # required, percent, 0 < x < 100 ("99.9%" also accepted)
 *     period: 30d                      # default 30d (rolling); or month / week: a calendar budget that resets at
 *     timezone: Europe/Berlin          #   each local month / ISO week start, in this zone (only with month/week; UTC)
 *     services: ["checkout", "payments-*"]   # globs (* and ?); omitted = all services
 *     routes: ["/api/*"]               # globs (* also matches /); omitted = all routes
 *     errors: ["5xx", 429]             # families 1xx-5xx and exact codes 400-599; default ["5xx"]
 *     latency: {threshold: 300ms}      # a latency SLO: requests slower than 300ms are bad (with errors: also
 *                                      #   those statuses); requests without a duration are left out
 *     groupBy: service                 # service | service+route ; default service
 *     minRequests: 50                  # overrides defaults.minRequests; 0 disables the guard
 *     labels: {team: payments}         # copied onto alerts; names [a-zA-Z_][a-zA-Z0-9_]*; alertname, severity,
 *                                      # slo, service and route are reserved (set by the processor)
 *     annotations: {runbook_url: "https://runbooks.example.com/checkout"}   # copied onto alerts
 *     rules: default                   # "default" = the multi-window multi-burn-rate table, or a list:
 *     # rules:
 *     #   - default                    # a list item "default" inserts the four default rules
 *     #   - {name: fast-burn, severity: page, budget: 2%, longWindow: 1h, shortWindow: 5m}  # or burnRate: 14.4
 *     #   - {name: high-error-rate, severity: critical, errorRate: 5%, window: 5m, for: 2m}
 *     #   - {name: budget-low, severity: ticket, remainingBudgetBelow: 25%}            # optional for:
 *     #   - {name: no-traffic, severity: page, noTrafficFor: 10m}
 * }</pre>
 * Rules: {@code rules} defaults to {@code default}. A burn-rate rule has {@code name}, {@code severity},
 * {@code burnRate} (> 0) or {@code budget} (the share of the period's error budget its long window may spend, {@code
 * 2%} or {@code 0.02}: burnRate = budget x period / longWindow), {@code longWindow} and {@code shortWindow} (shorter
 * than longWindow); it fires when both windows burn strictly faster than burnRate. A threshold rule has {@code name}, {@code severity}, {@code errorRate}
 * ({@code "5%"} or {@code 0.05}, strictly between 0 and 100%), {@code window} and optionally {@code for} (hold,
 * default 0s); it fires once the error ratio over window has been strictly above errorRate for {@code for}. Rule
 * names are unique within an SLO ({@code [a-z0-9_.-]+}). A budget rule has {@code name}, {@code severity},
 * {@code remainingBudgetBelow} ({@code 25%} or {@code 0.25}, from 0 to below 100%) and optionally {@code for}; it
 * fires once the share of the error budget left over the period so far is strictly below it ({@code 0%}: overspent)
 * and the period has seen minRequests requests. A no-traffic rule (opt-in) has {@code name}, {@code severity} and
 * {@code noTrafficFor}; it fires when a group that had traffic has none over that duration, and resolves when
 * traffic returns. Durations: {@code 30s 5m 1h 1d 30d 1h30m}. Calendar periods scale the default table to their
 * nominal length ({@link SloPeriod#nominal()}: 30d for a month, 7d for a week).
 * The default table (rules: default), burn rates for a 30d period ({@link DefaultRules}: they follow from it):
 * <pre>
 * fast-burn     page    2%   1h  5m   (14.4)
 * slow-burn     page    5%   6h  30m  (6)
 * ticket-quick  ticket  10%  1d  2h   (3)
 * ticket-slow   ticket  10%  3d  6h   (1)
 * </pre>
 *
 * <h2>minRequests default: 20</h2>
 * The guard window of a rule (the short window of a burn-rate rule, the window of a threshold rule) must have seen
 * at least minRequests requests for the rule to fire. With 20, one failed request is at most a 5% error ratio in the
 * short window, under the 7.2% that trips fast-burn for the default 99.5% objective, so a lone failure never pages;
 * yet a service doing 4 requests a minute still has fast-burn coverage. Raise it for stricter objectives (at 99.9%,
 * fast-burn trips at 1.44%: one failure in fewer than 70 requests).
 *
 * <p>No file at all ({@link #loadOrDefault} with null): {@link SloConfig#defaultConfig()}.
 */
public final class SloFileLoader {
    private static final Set<String> ROOT_KEYS = Set.of("defaults", "slos");
    private static final Set<String> DEFAULTS_KEYS = Set.of("minRequests");
    private static final Set<String> SLO_KEYS = Set.of("name", "objective", "period", "timezone", "services", "routes",
            "errors", "latency", "groupBy", "minRequests", "labels", "annotations", "rules");
    private static final Set<String> LATENCY_KEYS = Set.of("threshold");
    /** The keys that make a rule of each kind ({@code for} is shared by threshold and budget rules). */
    private static final Set<String> BURN_KEYS = Set.of("burnRate", "budget", "longWindow", "shortWindow");
    private static final Set<String> THRESHOLD_KEYS = Set.of("errorRate", "window");
    private static final Set<String> BUDGET_KEYS = Set.of("remainingBudgetBelow");
    private static final Set<String> NO_TRAFFIC_KEYS = Set.of("noTrafficFor");
    private static final Set<String> RULE_KEYS = union(Set.of("name", "severity", "for"), BURN_KEYS, THRESHOLD_KEYS,
            BUDGET_KEYS, NO_TRAFFIC_KEYS);
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> RESERVED_LABELS = Set.of("alertname", "severity", "slo", "service", "route");

    private final Path file;

    private SloFileLoader(Path file) {
        this.file = file;
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
        if (root == null) throw error(1, null, "the file is empty; expected a 'slos:' list");
        MapNode m = map(root, "");
        checkKeys(m, "", ROOT_KEYS);
        long minRequests = Slo.DEFAULT_MIN_REQUESTS;
        Entry defaults = m.entry("defaults");
        if (defaults != null) {
            MapNode d = map(defaults.value(), "defaults");
            checkKeys(d, "defaults", DEFAULTS_KEYS);
            Entry mr = d.entry("minRequests");
            if (mr != null) minRequests = nonNegativeLong(mr.value(), "defaults.minRequests");
        }
        Entry slosEntry = required(m, "slos", "");
        List<Node> items = list(slosEntry.value(), "slos");
        if (items.isEmpty()) {
            throw error(slosEntry.keyLine(), "slos", "no SLO defined; delete the file to use the default availability SLO");
        }
        List<Slo> slos = new ArrayList<>();
        Map<String, Integer> nameLines = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String path = "slos[" + i + "]";
            Slo slo = slo(items.get(i), path, minRequests);
            Node nameNode = map(items.get(i), path).entry("name").value();
            Integer firstLine = nameLines.putIfAbsent(slo.name(), nameNode.line());
            if (firstLine != null) {
                throw error(nameNode.line(), path + ".name", "duplicate SLO name '" + slo.name() + "' (first used at line " + firstLine + ")");
            }
            slos.add(slo);
        }
        try {
            return new SloConfig(slos);
        } catch (IllegalArgumentException ex) { // two latency SLIs whose state ids collide
            throw error(slosEntry.keyLine(), "slos", ex.getMessage());
        }
    }

    private Slo slo(Node node, String path, long defaultMinRequests) {
        MapNode m = map(node, path);
        checkKeys(m, path, SLO_KEYS);

        Entry nameEntry = required(m, "name", path);
        String name = string(nameEntry.value(), path + ".name");
        if (!Slo.NAME.matcher(name).matches()) {
            throw error(nameEntry.value().line(), path + ".name", "must match [a-z0-9_.-]+ (lowercase letters, digits, _ . -), got '" + name + "'");
        }

        Entry objEntry = required(m, "objective", path);
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
            String s = string(e.value(), path + ".groupBy");
            try {
                groupBy = GroupBy.parse(s);
            } catch (IllegalArgumentException ex) {
                throw error(e.value().line(), path + ".groupBy", ex.getMessage());
            }
        }

        long minRequests = defaultMinRequests;
        e = m.entry("minRequests");
        if (e != null) minRequests = nonNegativeLong(e.value(), path + ".minRequests");

        Map<String, String> labels = stringMap(m.entry("labels"), path + ".labels", true);
        Map<String, String> annotations = stringMap(m.entry("annotations"), path + ".annotations", false);

        List<AlertRule> rules = DefaultRules.multiWindowMultiBurnRate(period.nominal());
        e = m.entry("rules");
        if (e != null) rules = rules(e.value(), path + ".rules", name, period);

        try {
            return new Slo(name, objective, period, Selector.of(services, routes), errors, groupBy, minRequests,
                    labels, annotations, rules, latency);
        } catch (IllegalArgumentException ex) { // every check above should have caught it first
            throw error(m.line(), path, ex.getMessage());
        }
    }

    /**
     * {@code latency: {threshold: 300ms}}: requests slower than the threshold are bad, and with an {@code errors:}
     * key of the SLO also requests with those statuses. Null without the key.
     */
    private LatencySli latency(Entry e, String path, ErrorDefinition errorsOrNull) {
        if (e == null) return null;
        MapNode m = map(e.value(), path);
        checkKeys(m, path, LATENCY_KEYS);
        Entry t = required(m, "threshold", path);
        Duration threshold;
        try {
            threshold = positiveDuration(t.value(), path + ".threshold");
        } catch (SloConfigException ex) {
            throw error(ex.line(), ex.key(), ex.detail() + " (a latency threshold: e.g. 300ms, 1s or 1s500ms)");
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
                    rolling = SloPeriod.rolling(positiveDuration(p.value(), path + ".period"));
                } catch (SloConfigException ex) {
                    throw error(ex.line(), ex.key(), ex.detail() + "; or month / week for a calendar budget");
                }
            }
            if (tz != null) {
                throw error(tz.keyLine(), path + ".timezone", "a time zone applies to a calendar period (period: month or week) only; "
                        + (p == null ? "the default period, " : "period ") + rolling.label() + ", is rolling");
            }
            return rolling;
        }
        java.time.ZoneId zone = java.time.ZoneOffset.UTC;
        if (tz != null) {
            String id = string(tz.value(), path + ".timezone");
            try {
                zone = java.time.ZoneId.of(id.strip());
            } catch (java.time.DateTimeException ex) {
                throw error(tz.value().line(), path + ".timezone", "unknown time zone '" + id + "'; expected a region like Europe/Berlin, "
                        + "America/New_York or UTC");
            }
        }
        return new SloPeriod.Calendar(unit, zone);
    }

    private double objective(Node n, String path) {
        BigDecimal percent;
        if (n instanceof ScalarNode s && s.value() instanceof String str && str.strip().endsWith("%")) {
            percent = decimal(str.strip().substring(0, str.strip().length() - 1), n, path, "a percentage like 99.9");
        } else {
            percent = decimal(n, path, "a percentage like 99.9");
        }
        if (percent.signum() <= 0 || percent.compareTo(BigDecimal.valueOf(100)) >= 0) {
            throw error(n.line(), path, "must be between 0 and 100 (exclusive), got " + percent.toPlainString());
        }
        if (percent.compareTo(BigDecimal.ONE) < 0) {
            throw error(n.line(), path, "objective " + percent.toPlainString() + "% looks like a ratio; it is a percentage: write "
                    + percent.movePointRight(2).stripTrailingZeros().toPlainString() + " for " + percent.toPlainString());
        }
        return percent.movePointLeft(2).doubleValue();
    }

    private List<String> globs(Entry e, String path) {
        if (e == null) return List.of();
        List<Node> items = e.value() instanceof ScalarNode s && !s.isNull() ? List.of(e.value()) : list(e.value(), path);
        if (items.isEmpty()) {
            throw error(e.keyLine(), path, "empty list; omit the key to cover everything");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String p = items.size() == 1 && e.value() instanceof ScalarNode ? path : path + "[" + i + "]";
            String g = string(items.get(i), p);
            try {
                new Glob(g);
            } catch (IllegalArgumentException ex) {
                throw error(items.get(i).line(), p, ex.getMessage());
            }
            out.add(g);
        }
        return out;
    }

    private ErrorDefinition errors(Node n, String path) {
        List<Node> items = n instanceof ScalarNode s && !s.isNull() ? List.of(n) : list(n, path);
        if (items.isEmpty()) throw error(n.line(), path, "must list at least one status family or code, e.g. [\"5xx\"]");
        Set<Integer> families = new java.util.TreeSet<>();
        Set<Integer> codes = new java.util.TreeSet<>();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String p = n instanceof ScalarNode ? path : path + "[" + i + "]";
            if (!(item instanceof ScalarNode s) || s.isNull()) {
                throw error(item.line(), p, "expected a status family like \"5xx\" or a code like 429, got " + item.kind());
            }
            try {
                int v = ErrorDefinition.parseItem(s.text());
                (v <= 5 ? families : codes).add(v);
            } catch (IllegalArgumentException ex) {
                throw error(item.line(), p, ex.getMessage());
            }
        }
        return new ErrorDefinition(families, codes);
    }

    private Map<String, String> stringMap(Entry e, String path, boolean isLabels) {
        if (e == null) return Map.of();
        MapNode m = map(e.value(), path);
        Map<String, String> out = new LinkedHashMap<>();
        for (Entry kv : m.entries().values()) {
            String p = path + "." + kv.key();
            if (!LABEL_NAME.matcher(kv.key()).matches()) {
                throw error(kv.keyLine(), p, "invalid name; must match [a-zA-Z_][a-zA-Z0-9_]*");
            }
            if (isLabels && RESERVED_LABELS.contains(kv.key())) {
                throw error(kv.keyLine(), p, "reserved label (set by the processor on every alert): " + String.join(", ", sorted(RESERVED_LABELS)));
            }
            if (!(kv.value() instanceof ScalarNode s) || s.isNull()) {
                throw error(kv.value().line(), p, "expected a string value, got " + kv.value().kind());
            }
            out.put(kv.key(), s.text());
        }
        return out;
    }

    private List<AlertRule> rules(Node n, String path, String sloName, SloPeriod period) {
        if (n instanceof ScalarNode s && "default".equals(s.value())) return DefaultRules.multiWindowMultiBurnRate(period.nominal());
        if (n instanceof ScalarNode s && !s.isNull()) {
            throw error(n.line(), path, "expected \"default\" or a list of rules, got " + n.kind());
        }
        List<Node> items = list(n, path);
        if (items.isEmpty()) throw error(n.line(), path, "empty list; an SLO needs at least one rule (or omit the key for the defaults)");
        List<AlertRule> rules = new ArrayList<>();
        Map<String, Integer> nameLines = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String p = path + "[" + i + "]";
            List<AlertRule> produced;
            int nameLine;
            if (item instanceof ScalarNode s && "default".equals(s.value())) {
                produced = DefaultRules.multiWindowMultiBurnRate(period.nominal());
                nameLine = item.line();
            } else {
                if (item instanceof ScalarNode) {
                    throw error(item.line(), p, "expected a rule mapping or \"default\", got " + item.kind());
                }
                produced = List.of(rule(item, p, period));
                nameLine = map(item, p).entry("name").value().line();
            }
            for (AlertRule r : produced) {
                Integer first = nameLines.putIfAbsent(r.name(), nameLine);
                if (first != null) {
                    throw error(nameLine, p + ".name", "duplicate rule name '" + r.name() + "' in SLO '" + sloName
                            + "' (first used at line " + first + ")");
                }
                rules.add(r);
            }
        }
        return rules;
    }

    private AlertRule rule(Node node, String path, SloPeriod period) {
        MapNode m = map(node, path);
        checkKeys(m, path, RULE_KEYS);
        Map<String, Set<String>> kinds = new LinkedHashMap<>();
        kinds.put("burn-rate keys (burnRate or budget, longWindow, shortWindow)", BURN_KEYS);
        kinds.put("threshold keys (errorRate, window)", THRESHOLD_KEYS);
        kinds.put("the budget-rule key remainingBudgetBelow", BUDGET_KEYS);
        kinds.put("the no-traffic key noTrafficFor", NO_TRAFFIC_KEYS);
        List<String> present = new ArrayList<>();
        kinds.forEach((kind, keys) -> {
            if (keys.stream().anyMatch(k -> m.entry(k) != null)) present.add(kind);
        });
        if (present.size() > 1) {
            throw error(m.line(), path, "mixes " + String.join(" and ", present) + "; a rule is of one kind");
        }
        if (present.isEmpty()) {
            throw error(m.line(), path, "a rule needs either burnRate (or budget), longWindow and shortWindow (burn-rate rule), "
                    + "errorRate and window (threshold rule), remainingBudgetBelow (budget rule) or noTrafficFor (no-traffic rule)");
        }
        Entry nameEntry = required(m, "name", path);
        String name = string(nameEntry.value(), path + ".name");
        if (!AlertRule.NAME.matcher(name).matches()) {
            throw error(nameEntry.value().line(), path + ".name", "must match [a-z0-9_.-]+, got '" + name + "'");
        }
        String severity = string(required(m, "severity", path).value(), path + ".severity");
        if (severity.isBlank()) throw error(m.entry("severity").value().line(), path + ".severity", "must not be empty");
        Entry f = m.entry("for");
        boolean holds = m.entry("errorRate") != null || m.entry("window") != null || m.entry("remainingBudgetBelow") != null;
        if (f != null && !holds) {
            throw error(f.keyLine(), path + ".for", "only threshold and budget rules have a hold (for:); a burn-rate rule's short window "
                    + "and a no-traffic rule's noTrafficFor already say how long");
        }
        Duration hold = f == null ? Duration.ZERO : duration(f.value(), path + ".for");

        if (m.entry("noTrafficFor") != null) {
            return new NoTrafficRule(name, severity, positiveDuration(m.entry("noTrafficFor").value(), path + ".noTrafficFor"));
        }
        Entry below = m.entry("remainingBudgetBelow");
        if (below != null) {
            return new BudgetRule(name, severity, remainingShare(below.value(), path + ".remainingBudgetBelow"), hold);
        }
        if (m.entry("errorRate") != null || m.entry("window") != null) {
            Entry er = required(m, "errorRate", path);
            double ratio = errorRate(er.value(), path + ".errorRate");
            Duration window = positiveDuration(required(m, "window", path).value(), path + ".window");
            return new ThresholdRule(name, severity, ratio, window, hold);
        }
        Entry br = m.entry("burnRate");
        Entry budget = m.entry("budget");
        if (br != null && budget != null) {
            throw error(budget.value().line(), path + ".budget", "a rule has burnRate or budget (the share of the error budget "
                    + "its long window may spend), not both");
        }
        if (br == null && budget == null) throw error(m.line(), path, "missing key burnRate (or budget)");
        BigDecimal rate = null;
        if (br != null) {
            rate = decimal(br.value(), path + ".burnRate", "a number like 14.4");
            if (rate.signum() <= 0) throw error(br.value().line(), path + ".burnRate", "must be > 0, got " + rate.toPlainString());
        }
        Duration longWindow = positiveDuration(required(m, "longWindow", path).value(), path + ".longWindow");
        Entry sw = required(m, "shortWindow", path);
        Duration shortWindow = positiveDuration(sw.value(), path + ".shortWindow");
        if (shortWindow.compareTo(longWindow) >= 0) {
            throw error(sw.value().line(), path + ".shortWindow", "must be shorter than longWindow ("
                    + Durations.format(longWindow) + "), got " + Durations.format(shortWindow));
        }
        double burnRate = rate != null ? rate.doubleValue()
                : BurnRate.forBudgetSpent(errorRate(budget.value(), path + ".budget"), period.nominal(), longWindow);
        return new BurnRateRule(name, severity, burnRate, longWindow, shortWindow);
    }

    private double errorRate(Node n, String path) {
        BigDecimal ratio = ratio(n, path, "a percentage like 5% or a ratio like 0.05");
        if (ratio.signum() <= 0 || ratio.compareTo(BigDecimal.ONE) >= 0) {
            throw error(n.line(), path, "must be between 0% and 100% (exclusive), got " + ratio.movePointRight(2).stripTrailingZeros().toPlainString() + "%");
        }
        return ratio.doubleValue();
    }

    /** A share of the error budget: {@code 25%} or {@code 0.25}, from 0 (inclusive) to 100% (exclusive). */
    private double remainingShare(Node n, String path) {
        BigDecimal ratio = ratio(n, path, "a percentage like 25% or a ratio like 0.25");
        if (ratio.signum() < 0 || ratio.compareTo(BigDecimal.ONE) >= 0) {
            throw error(n.line(), path, "must be from 0% (fires once the budget is overspent) to below 100%, got "
                    + ratio.movePointRight(2).stripTrailingZeros().toPlainString() + "%");
        }
        return ratio.doubleValue();
    }

    /** {@code "5%"} or {@code 0.05}, below 1 (100%). */
    private BigDecimal ratio(Node n, String path, String expected) {
        BigDecimal ratio;
        if (n instanceof ScalarNode s && s.value() instanceof String str && str.strip().endsWith("%")) {
            String t = str.strip();
            ratio = decimal(t.substring(0, t.length() - 1).strip(), n, path, expected).movePointLeft(2);
        } else {
            ratio = decimal(n, path, expected);
            if (ratio.compareTo(BigDecimal.ONE) >= 0) {
                throw error(n.line(), path, "must be a ratio below 1 or a percentage: write " + ratio.toPlainString()
                        + "% or " + ratio.movePointLeft(2).toPlainString() + ", got " + ratio.toPlainString());
            }
        }
        return ratio;
    }

    // ---- typed access ---------------------------------------------------------------------------------------

    private MapNode map(Node n, String path) {
        if (n instanceof MapNode m) return m;
        throw error(n.line(), path.isEmpty() ? null : path, "expected a mapping (key: value), got " + n.kind());
    }

    private List<Node> list(Node n, String path) {
        if (n instanceof ListNode l) return l.items();
        throw error(n.line(), path, "expected a list, got " + n.kind());
    }

    private String string(Node n, String path) {
        if (n instanceof ScalarNode s && s.value() instanceof String str) return str;
        throw error(n.line(), path, "expected a string, got " + n.kind());
    }

    private BigDecimal decimal(Node n, String path, String expected) {
        if (n instanceof ScalarNode s) {
            if (s.value() instanceof BigDecimal d) return d;
            if (s.value() instanceof Integer || s.value() instanceof Long || s.value() instanceof BigInteger) {
                return new BigDecimal(s.value().toString());
            }
            if (s.value() instanceof String str) return decimal(str, n, path, expected);
        }
        throw error(n.line(), path, "expected " + expected + ", got " + n.kind());
    }

    private BigDecimal decimal(String text, Node n, String path, String expected) {
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw error(n.line(), path, "expected " + expected + ", got " + n.kind());
        }
    }

    private long nonNegativeLong(Node n, String path) {
        if (n instanceof ScalarNode s && (s.value() instanceof Integer || s.value() instanceof Long)) {
            long v = ((Number) s.value()).longValue();
            if (v >= 0) return v;
            throw error(n.line(), path, "must be >= 0, got " + v);
        }
        throw error(n.line(), path, "expected a whole number >= 0, got " + n.kind());
    }

    private Duration duration(Node n, String path) {
        if (n instanceof ScalarNode s && (s.value() instanceof String || s.isNumber())) {
            try {
                return Durations.parse(s.text());
            } catch (IllegalArgumentException e) {
                throw error(n.line(), path, e.getMessage());
            }
        }
        throw error(n.line(), path, "expected a duration like 5m, 1h or 30d, got " + n.kind());
    }

    private Duration positiveDuration(Node n, String path) {
        Duration d = duration(n, path);
        if (d.isZero()) throw error(n.line(), path, "must be > 0");
        return d;
    }

    private Entry required(MapNode m, String key, String path) {
        Entry e = m.entry(key);
        String p = path.isEmpty() ? key : path + "." + key;
        if (e == null) throw error(m.line(), p, "required key is missing");
        if (e.value() instanceof ScalarNode s && s.isNull()) throw error(e.keyLine(), p, "required key has no value");
        return e;
    }

    private void checkKeys(MapNode m, String path, Set<String> allowed) {
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

    private SloConfigException error(int line, String path, String detail) {
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

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> out = new LinkedHashSet<>();
        for (Set<String> s : sets) out.addAll(s);
        return Set.copyOf(out);
    }
}
