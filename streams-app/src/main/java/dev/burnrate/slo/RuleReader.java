package dev.burnrate.slo;

import dev.burnrate.core.Durations;
import dev.burnrate.slo.AlertRule.BudgetRule;
import dev.burnrate.slo.AlertRule.BurnRateRule;
import dev.burnrate.slo.AlertRule.NoTrafficRule;
import dev.burnrate.slo.AlertRule.ThresholdRule;
import dev.burnrate.slo.LocatedYaml.Entry;
import dev.burnrate.slo.LocatedYaml.MapNode;
import dev.burnrate.slo.LocatedYaml.Node;
import dev.burnrate.slo.LocatedYaml.ScalarNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an SLO's {@code rules:}: {@code default} (the multi-window multi-burn-rate table, {@link DefaultRules}) or a
 * list of burn-rate, threshold, budget and no-traffic rules and {@code default} items (the README's "SLOs and
 * rules" describes each kind). A rule is of exactly one kind, named by its keys.
 */
final class RuleReader {
    /** The keys that make a rule of each kind ({@code for} is shared by threshold and budget rules). */
    private static final Set<String> BURN_KEYS = Set.of("burnRate", "budget", "longWindow", "shortWindow");
    private static final Set<String> THRESHOLD_KEYS = Set.of("errorRate", "window");
    private static final Set<String> BUDGET_KEYS = Set.of("remainingBudgetBelow");
    private static final Set<String> NO_TRAFFIC_KEYS = Set.of("noTrafficFor");
    private static final Set<String> RULE_KEYS = YamlFields.union(Set.of("name", "severity", "for", "keepFiringFor"), BURN_KEYS, THRESHOLD_KEYS,
            BUDGET_KEYS, NO_TRAFFIC_KEYS);

    private final YamlFields y;

    RuleReader(YamlFields y) {
        this.y = y;
    }

    List<AlertRule> rules(Node n, String path, String sloName, SloPeriod period) {
        if (n instanceof ScalarNode s && "default".equals(s.value())) return DefaultRules.multiWindowMultiBurnRate(period.nominal());
        if (n instanceof ScalarNode s && !s.isNull()) {
            throw y.error(n.line(), path, "expected \"default\" or a list of rules, got " + n.kind());
        }
        List<Node> items = y.list(n, path);
        if (items.isEmpty()) throw y.error(n.line(), path, "empty list; an SLO needs at least one rule (or omit the key for the defaults)");
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
                    throw y.error(item.line(), p, "expected a rule mapping or \"default\", got " + item.kind());
                }
                produced = List.of(rule(item, p, period));
                nameLine = y.map(item, p).entry("name").value().line();
            }
            for (AlertRule r : produced) {
                Integer first = nameLines.putIfAbsent(r.name(), nameLine);
                if (first != null) {
                    throw y.error(nameLine, p + ".name", "duplicate rule name '" + r.name() + "' in SLO '" + sloName
                            + "' (first used at line " + first + ")");
                }
                rules.add(r);
            }
        }
        return rules;
    }

    private AlertRule rule(Node node, String path, SloPeriod period) {
        MapNode m = y.map(node, path);
        y.checkKeys(m, path, RULE_KEYS);
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
            throw y.error(m.line(), path, "mixes " + String.join(" and ", present) + "; a rule is of one kind");
        }
        if (present.isEmpty()) {
            throw y.error(m.line(), path, "a rule needs either burnRate (or budget), longWindow and shortWindow (burn-rate rule), "
                    + "errorRate and window (threshold rule), remainingBudgetBelow (budget rule) or noTrafficFor (no-traffic rule)");
        }
        Entry nameEntry = y.required(m, "name", path);
        String name = y.string(nameEntry.value(), path + ".name");
        if (!AlertRule.NAME.matcher(name).matches()) {
            throw y.error(nameEntry.value().line(), path + ".name", "must match [a-z0-9_.-]+, got '" + name + "'");
        }
        String severity = y.string(y.required(m, "severity", path).value(), path + ".severity");
        if (severity.isBlank()) throw y.error(m.entry("severity").value().line(), path + ".severity", "must not be empty");
        Entry f = m.entry("for");
        boolean holds = m.entry("errorRate") != null || m.entry("window") != null || m.entry("remainingBudgetBelow") != null;
        if (f != null && !holds) {
            throw y.error(f.keyLine(), path + ".for", "only threshold and budget rules have a hold (for:); a burn-rate rule's short window "
                    + "and a no-traffic rule's noTrafficFor already say how long");
        }
        Duration hold = f == null ? Duration.ZERO : y.duration(f.value(), path + ".for");
        Entry k = m.entry("keepFiringFor");
        Duration keep = k == null ? Duration.ZERO : y.duration(k.value(), path + ".keepFiringFor");

        if (m.entry("noTrafficFor") != null) {
            return new NoTrafficRule(name, severity, y.positiveDuration(m.entry("noTrafficFor").value(), path + ".noTrafficFor"), keep);
        }
        Entry below = m.entry("remainingBudgetBelow");
        if (below != null) {
            return new BudgetRule(name, severity, remainingShare(below.value(), path + ".remainingBudgetBelow"), hold, keep);
        }
        if (m.entry("errorRate") != null || m.entry("window") != null) {
            Entry er = y.required(m, "errorRate", path);
            double ratio = errorRate(er.value(), path + ".errorRate");
            Duration window = y.positiveDuration(y.required(m, "window", path).value(), path + ".window");
            return new ThresholdRule(name, severity, ratio, window, hold, keep);
        }
        Entry br = m.entry("burnRate");
        Entry budget = m.entry("budget");
        if (br != null && budget != null) {
            throw y.error(budget.value().line(), path + ".budget", "a rule has burnRate or budget (the share of the error budget "
                    + "its long window may spend), not both");
        }
        if (br == null && budget == null) throw y.error(m.line(), path, "missing key burnRate (or budget)");
        BigDecimal rate = null;
        if (br != null) {
            rate = y.decimal(br.value(), path + ".burnRate", "a number like 14.4");
            if (rate.signum() <= 0) throw y.error(br.value().line(), path + ".burnRate", "must be > 0, got " + rate.toPlainString());
        }
        Duration longWindow = y.positiveDuration(y.required(m, "longWindow", path).value(), path + ".longWindow");
        Entry sw = y.required(m, "shortWindow", path);
        Duration shortWindow = y.positiveDuration(sw.value(), path + ".shortWindow");
        if (shortWindow.compareTo(longWindow) >= 0) {
            throw y.error(sw.value().line(), path + ".shortWindow", "must be shorter than longWindow ("
                    + Durations.format(longWindow) + "), got " + Durations.format(shortWindow));
        }
        double burnRate = rate != null ? rate.doubleValue()
                : BurnRate.forBudgetSpent(errorRate(budget.value(), path + ".budget"), period.nominal(), longWindow);
        return new BurnRateRule(name, severity, burnRate, longWindow, shortWindow, keep);
    }

    private double errorRate(Node n, String path) {
        BigDecimal ratio = ratio(n, path, "a percentage like 5% or a ratio like 0.05");
        if (ratio.signum() <= 0 || ratio.compareTo(BigDecimal.ONE) >= 0) {
            throw y.error(n.line(), path, "must be between 0% and 100% (exclusive), got " + ratio.movePointRight(2).stripTrailingZeros().toPlainString() + "%");
        }
        return ratio.doubleValue();
    }

    /** A share of the error budget: {@code 25%} or {@code 0.25}, from 0 (inclusive) to 100% (exclusive). */
    private double remainingShare(Node n, String path) {
        BigDecimal ratio = ratio(n, path, "a percentage like 25% or a ratio like 0.25");
        if (ratio.signum() < 0 || ratio.compareTo(BigDecimal.ONE) >= 0) {
            throw y.error(n.line(), path, "must be from 0% (fires once the budget is overspent) to below 100%, got "
                    + ratio.movePointRight(2).stripTrailingZeros().toPlainString() + "%");
        }
        return ratio.doubleValue();
    }

    /** {@code "5%"} or {@code 0.05}, below 1 (100%). */
    private BigDecimal ratio(Node n, String path, String expected) {
        BigDecimal ratio;
        if (n instanceof ScalarNode s && s.value() instanceof String str && str.strip().endsWith("%")) {
            String t = str.strip();
            ratio = y.decimal(t.substring(0, t.length() - 1).strip(), n, path, expected).movePointLeft(2);
        } else {
            ratio = y.decimal(n, path, expected);
            if (ratio.compareTo(BigDecimal.ONE) >= 0) {
                throw y.error(n.line(), path, "must be a ratio below 1 or a percentage: write " + ratio.toPlainString()
                        + "% or " + ratio.movePointLeft(2).toPlainString() + ", got " + ratio.toPlainString());
            }
        }
        return ratio;
    }
}
