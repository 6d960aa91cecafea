package dev.burnrate.slo;

import dev.burnrate.slo.AlertRule.BurnRateRule;
import dev.burnrate.slo.AlertRule.ThresholdRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SloFileLoaderTest {
    @TempDir
    Path dir;

    // ---- the example file of the repository -----------------------------------------------------------------

    /** config/slos.yaml at the repository root (tests run from the module directory). */
    static Path exampleFile() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("config/slos.yaml");
            if (Files.isRegularFile(candidate)) return candidate;
        }
        throw new AssertionError("config/slos.yaml not found above " + Paths.get("").toAbsolutePath());
    }

    @Test
    void loadsTheExampleFileOfTheRepository() {
        SloConfig config = SloFileLoader.load(exampleFile());
        assertEquals(List.of("checkout-availability", "api-availability", "backoffice-availability", "inference-availability",
                "jobs-availability", "inference-latency", "jobs-submit-latency", "jobs-poll-latency"), config.slos().stream().map(Slo::name).toList());

        Slo checkout = config.slo("checkout-availability");
        assertEquals(0.999, checkout.objective());
        assertEquals(0.001, checkout.errorBudget());
        assertEquals(SloPeriod.rolling(Duration.ofDays(30)), checkout.period());
        assertTrue(checkout.matches("checkout", "/anything"));
        assertTrue(checkout.matches("payments-eu", "/pay"));
        assertFalse(checkout.matches("search", "/"));
        assertEquals(ErrorDefinition.of("5xx", 429), checkout.errors());
        assertEquals(GroupBy.SERVICE, checkout.groupBy());
        assertEquals(70, checkout.minRequests());
        assertEquals(Map.of("team", "payments", "tier", "1"), checkout.labels());
        assertEquals("https://runbooks.example.com/checkout", checkout.annotations().get("runbook_url"));
        assertEquals(DefaultRules.multiWindowMultiBurnRate(java.time.Duration.ofDays(30)), checkout.rules());

        Slo api = config.slo("api-availability");
        assertEquals(0.995, api.objective());
        assertEquals(GroupBy.SERVICE_ROUTE, api.groupBy());
        assertTrue(api.matches("api-gateway", "/api/v1/orders/42"));
        assertFalse(api.matches("api-gateway", "/healthz"));
        assertEquals(20, api.minRequests(), "defaults.minRequests");
        assertEquals(ErrorDefinition.DEFAULT, api.errors());
        assertEquals(6, api.rules().size());
        assertEquals(DefaultRules.multiWindowMultiBurnRate(java.time.Duration.ofDays(30)), api.rules().subList(0, 4));
        assertEquals(new ThresholdRule("api-error-rate-critical", "critical", 0.05, Duration.ofMinutes(5), Duration.ofMinutes(2)), api.rules().get(4));
        assertEquals(new ThresholdRule("api-error-rate-warning", "warning", 0.01, Duration.ofMinutes(5), Duration.ofMinutes(5)), api.rules().get(5));

        Slo backoffice = config.slo("backoffice-availability");
        assertEquals(0.99, backoffice.objective());
        assertEquals(SloPeriod.rolling(Duration.ofDays(28)), backoffice.period());
        assertEquals(10, backoffice.minRequests());
        assertEquals(new BurnRateRule("budget-burn-fast", "ticket", 6, Duration.ofHours(6), Duration.ofMinutes(30)), backoffice.rules().get(0));
        assertEquals(new BurnRateRule("budget-burn-slow", "ticket", 1, Duration.ofDays(3), Duration.ofHours(6), Duration.ofHours(1)),
                backoffice.rules().get(1));

        Slo inference = config.slo("inference-availability");
        assertEquals(new SloPeriod.Calendar(SloPeriod.Calendar.Unit.MONTH, java.time.ZoneId.of("Europe/Berlin")), inference.period());
        assertEquals(DefaultRules.multiWindowMultiBurnRate(java.time.Duration.ofDays(30)), inference.rules().subList(0, 4));
        assertEquals(List.of(new ThresholdRule("error-rate-warning", "warning", 0.01, Duration.ofMinutes(5), Duration.ofMinutes(5)),
                new ThresholdRule("error-rate-critical", "critical", 0.05, Duration.ofMinutes(5), Duration.ofMinutes(2)),
                new AlertRule.BudgetRule("budget-low", "ticket", 0.25, Duration.ZERO),
                new AlertRule.BudgetRule("budget-exhausted", "page", 0.0, Duration.ZERO),
                new AlertRule.NoTrafficRule("no-traffic", "page", Duration.ofMinutes(10))), inference.rules().subList(4, 9));

        Slo jobs = config.slo("jobs-availability");
        assertEquals(new SloPeriod.Calendar(SloPeriod.Calendar.Unit.WEEK, java.time.ZoneOffset.UTC), jobs.period());
        assertEquals(GroupBy.SERVICE_ROUTE, jobs.groupBy());
        assertTrue(jobs.matches("jobs", "/jobs") && jobs.matches("jobs", "/jobs/{id}"));
        assertFalse(jobs.matches("jobs", "/healthz"));
        assertEquals(new AlertRule.NoTrafficRule("no-traffic", "ticket", Duration.ofMinutes(30)), jobs.rules().get(4));

        assertEquals(List.of(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2),
                Duration.ofHours(6), Duration.ofDays(1), Duration.ofDays(3)), List.copyOf(config.allWindows()));
    }

    @Test
    void noFileMeansTheDefaultConfig() {
        assertEquals(SloConfig.defaultConfig(), SloFileLoader.loadOrDefault(null));
    }

    @Test
    void aGivenButMissingFileIsAnError() {
        Path missing = dir.resolve("nope.yaml");
        SloConfigException e = assertThrows(SloConfigException.class, () -> SloFileLoader.loadOrDefault(missing));
        assertTrue(e.getMessage().startsWith(missing + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void minimalFileGetsEveryDefault() throws IOException {
        SloConfig c = load("""
                slos:
                  - name: availability
                    objective: 99.5
                """);
        assertEquals(SloConfig.defaultConfig(), c);
    }

    @Test
    void acceptsVariants() throws IOException {
        SloConfig c = load("""
                defaults: {minRequests: 5}
                slos:
                  - name: a
                    objective: "99.95%"
                    services: checkout
                    errors: 5xx
                    period: 1d12h
                    rules:
                      - {name: t, severity: warning, errorRate: "2.5%", window: 10m}
                      - {name: b, severity: page, burnRate: 2, longWindow: 2h, shortWindow: 10m}
                      - {name: k, severity: ticket, budget: 10%, longWindow: 3d, shortWindow: 6h, keepFiringFor: 30m}
                """);
        Slo s = c.slos().get(0);
        assertEquals(0.9995, s.objective());
        assertEquals(5, s.minRequests());
        assertEquals(SloPeriod.rolling(Duration.ofHours(36)), s.period());
        assertTrue(s.matches("checkout", "/"));
        assertEquals(new ThresholdRule("t", "warning", 0.025, Duration.ofMinutes(10), Duration.ZERO), s.rules().get(0));
        assertEquals(new BurnRateRule("b", "page", 2, Duration.ofHours(2), Duration.ofMinutes(10)), s.rules().get(1));
        assertEquals(Duration.ZERO, s.rules().get(1).keepFiringFor());
        assertEquals(Duration.ofMinutes(30), s.rules().get(2).keepFiringFor());
    }

    @Test
    void keepFiringForIsADuration() throws IOException {
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules:
                      - {name: r, severity: page, errorRate: 5%, window: 5m, keepFiringFor: 10}
                """), 5, "slos[0].rules[0].keepFiringFor", "missing unit");
    }

    // ---- errors: each names the file, the line and the key ------------------------------------------------

    @Test
    void objectiveOutOfRangeMatchesTheDocumentedMessage() throws IOException {
        SloConfigException e = fails("""
                slos:
                  - name: a
                    objective: 100.5
                """);
        assertEquals(file() + ":3: slos[0].objective: must be between 0 and 100 (exclusive), got 100.5", e.getMessage());
        assertEquals(3, e.line());
        assertEquals("slos[0].objective", e.key());
    }

    @Test
    void objectiveWrittenAsARatio() throws IOException {
        assertError(fails("""
                slos:
                  - name: a
                    objective: 0.999
                """), 3, "slos[0].objective", "write 99.9");
    }

    @Test
    void yamlSyntaxError() throws IOException {
        SloConfigException e = fails("""
                slos:
                  - name: a
                    objective: 99.5
                    labels: {team: "payments}
                  - name: b
                """);
        // SnakeYAML gives up at the end of the stream (line 6) and says where the open quote started (line 4)
        assertEquals(file() + ":6: slos[0].labels: YAML syntax error at column 1: found unexpected end of stream"
                + " (while scanning a quoted scalar started at line 4, column 20)", e.getMessage());
    }

    @Test
    void yamlTabIndentation() throws IOException {
        SloConfigException e = fails("slos:\n  - name: a\n    objective: 99.5\n\tperiod: 30d\n");
        assertTrue(e.getMessage().startsWith(file() + ":4: slos[0].objective: YAML syntax error at column 1: found character '\\t(TAB)'"),
                e.getMessage());
    }

    @Test
    void specialFloatsAreNotNumbersHere() throws IOException {
        assertError(fails("slos:\n  - name: a\n    objective: .inf\n"), 3, "slos[0].objective", "expected a percentage like 99.9, got a string ('.inf')");
    }

    @Test
    void yamlBadIndentation() throws IOException {
        SloConfigException e = fails("""
                slos:
                  - name: a
                    objective: 99.5
                   period: 30d
                """);
        assertTrue(e.getMessage().contains("YAML syntax error"), e.getMessage());
        assertEquals(4, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith(file() + ":4: slos"), e.getMessage());
    }

    @Test
    void unknownKeySuggestsTheClosest() throws IOException {
        SloConfigException e = fails("""
                slos:
                  - name: a
                    objectve: 99.5
                """);
        assertError(e, 3, "slos[0].objectve", "unknown key 'objectve' (did you mean 'objective'?)");
        assertError(fails("""
                slo:
                  - name: a
                """), 1, "slo", "did you mean 'slos'?");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99.5
                    rules:
                      - {name: r, severity: page, burnrate: 2, longWindow: 1h, shortWindow: 5m}
                """), 5, "slos[0].rules[0].burnrate", "did you mean 'burnRate'?");
        assertError(fails("""
                defaults:
                  minRequest: 3
                slos: []
                """), 2, "defaults.minRequest", "did you mean 'minRequests'?");
    }

    @Test
    void wrongTypes() throws IOException {
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99.5
                    minRequests: lots
                """), 4, "slos[0].minRequests", "expected a whole number >= 0, got a string ('lots')");
        assertError(fails("""
                slos:
                  - name: a
                    objective: high
                """), 3, "slos[0].objective", "expected a percentage");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99.5
                    services: {checkout: true}
                """), 4, "slos[0].services", "expected a list, got a mapping");
        assertError(fails("""
                slos:
                  name: a
                """), 2, "slos", "expected a list");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99.5
                    labels:
                      team: [a, b]
                """), 5, "slos[0].labels.team", "expected a string value");
    }

    @Test
    void missingRequiredKey() throws IOException {
        assertError(fails("""
                slos:
                  - name: a
                    period: 30d
                """), 2, "slos[0].objective", "required key is missing");
        assertError(fails("""
                slos:
                  - objective: 99
                """), 2, "slos[0].name", "required key is missing");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules:
                      - {name: r, burnRate: 2, longWindow: 1h, shortWindow: 5m}
                """), 5, "slos[0].rules[0].severity", "required key is missing");
        assertError(fails("""
                defaults: {minRequests: 1}
                """), 1, "slos", "required key is missing");
        assertError(fails("""
                slos:
                  - name: a
                    objective:
                """), 3, "slos[0].objective", "no value");
    }

    @Test
    void badDuration() throws IOException {
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    period: 30 days
                """), 4, "slos[0].period", "invalid duration '30 days'");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules:
                      - name: r
                        severity: page
                        errorRate: 5%
                        window: 5
                """), 8, "slos[0].rules[0].window", "missing unit");
    }

    @Test
    void badGlob() throws IOException {
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    services: ["checkout", "pay[ab]"]
                """), 4, "slos[0].services[1]", "only the wildcards * and ?");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    routes: [""]
                """), 4, "slos[0].routes[0]", "empty glob");
    }

    @Test
    void duplicateSloNames() throws IOException {
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                  - name: b
                    objective: 99
                  - name: a
                    objective: 99.9
                """), 6, "slos[2].name", "duplicate SLO name 'a' (first used at line 2)");
    }

    @Test
    void duplicateRuleNames() throws IOException {
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules:
                      - {name: r, severity: page, burnRate: 2, longWindow: 1h, shortWindow: 5m}
                      - {name: r, severity: ticket, errorRate: 1%, window: 5m}
                """), 6, "slos[0].rules[1].name", "duplicate rule name 'r' in SLO 'a' (first used at line 5)");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules:
                      - default
                      - name: fast-burn
                        severity: page
                        burnRate: 10
                        longWindow: 1h
                        shortWindow: 5m
                """), 6, "slos[0].rules[1].name", "duplicate rule name 'fast-burn'");
    }

    @Test
    void shortWindowMustBeShorterThanLongWindow() throws IOException {
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules:
                      - name: r
                        severity: page
                        burnRate: 2
                        longWindow: 1h
                        shortWindow: 60m
                """), 9, "slos[0].rules[0].shortWindow", "must be shorter than longWindow (1h), got 1h");
    }

    @Test
    void burnRateMustBePositive() throws IOException {
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules:
                      - {name: r, severity: page, burnRate: 0, longWindow: 1h, shortWindow: 5m}
                """), 5, "slos[0].rules[0].burnRate", "must be > 0, got 0");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules:
                      - name: r
                        severity: page
                        burnRate: -1.5
                        longWindow: 1h
                        shortWindow: 5m
                """), 7, "slos[0].rules[0].burnRate", "must be > 0, got -1.5");
    }

    @Test
    void unknownGroupBy() throws IOException {
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    groupBy: route
                """), 4, "slos[0].groupBy", "unknown groupBy 'route'; expected one of: service, service+route");
    }

    @Test
    void badErrorDefinitions() throws IOException {
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    errors: ["5xx", 200]
                """), 4, "slos[0].errors[1]", "only codes 400-599");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    errors:
                      - 5xx
                      - 502-504
                """), 6, "slos[0].errors[1]", "ranges like '502-504' are not supported");
    }

    @Test
    void badRules() throws IOException {
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules:
                      - {name: r, severity: page, burnRate: 2, window: 5m}
                """), 5, "slos[0].rules[0]", "mixes burn-rate keys");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules:
                      - {name: r, severity: page, errorRate: 150%, window: 5m}
                """), 5, "slos[0].rules[0].errorRate", "between 0% and 100%");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules:
                      - {name: r, severity: page, errorRate: 5, window: 5m}
                """), 5, "slos[0].rules[0].errorRate", "write 5% or 0.05");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules: defaults
                """), 4, "slos[0].rules", "expected \"default\" or a list of rules");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules:
                      - {name: Fast Burn, severity: page, burnRate: 2, longWindow: 1h, shortWindow: 5m}
                """), 5, "slos[0].rules[0].name", "must match [a-z0-9_.-]+");
    }

    @Test
    void badNamesLabelsAndStructure() throws IOException {
        assertError(fails("""
                slos:
                  - name: Checkout
                    objective: 99
                """), 2, "slos[0].name", "must match [a-z0-9_.-]+");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    labels: {severity: low}
                """), 4, "slos[0].labels.severity", "reserved label");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    objective: 99.9
                """), 4, "slos[0].objective", "duplicate key (first given at line 3)");
        assertError(fails("""
                slos: []
                """), 1, "slos", "no SLO defined");
        assertError(fails("""
                defaults:
                  minRequests: -1
                slos: []
                """), 2, "defaults.minRequests", "must be >= 0");
        SloConfigException empty = fails("# nothing but a comment\n");
        assertEquals(file() + ":1: the file is empty; expected a 'slos:' list", empty.getMessage());
    }

    @Test
    void defaultRulesTakeTheirThresholdsFromThePeriod() throws IOException {
        SloConfig c = load("""
                slos:
                  - {name: weekly, objective: 99.9, period: 7d}
                  - {name: four-weeks, objective: 99.9, period: 28d, rules: [default]}
                """);
        // 2% of the budget in 1h, 5% in 6h, 10% in 1d, 10% in 3d: x 168h (7d) and x 672h (28d)
        assertRates(List.of(3.36, 1.4, 0.7, 7.0 / 30), burnRates(c.slos().get(0)));
        assertRates(List.of(13.44, 5.6, 2.8, 14.0 / 15), burnRates(c.slos().get(1)));
    }

    @Test
    void aRuleMayBeWrittenAsTheShareOfTheBudgetItsLongWindowSpends() throws IOException {
        SloConfig c = load("""
                slos:
                  - name: a
                    objective: 99.5
                    period: 28d
                    rules:
                      - {name: fast, severity: page, budget: 2%, longWindow: 1h, shortWindow: 5m}
                      - {name: slow, severity: page, budget: 0.05, longWindow: 6h, shortWindow: 30m}
                """);
        assertRates(List.of(13.44, 5.6), burnRates(c.slos().get(0)));
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99.5
                    rules:
                      - {name: fast, severity: page, budget: 2%, burnRate: 14.4, longWindow: 1h, shortWindow: 5m}
                """), 5, "slos[0].rules[0].budget", "burnRate or budget");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99.5
                    rules:
                      - {name: fast, severity: page, budget: 150%, longWindow: 1h, shortWindow: 5m}
                """), 5, "slos[0].rules[0].budget", "between 0% and 100%");
    }

    private static void assertRates(List<Double> expected, List<Double> actual) {
        assertEquals(expected.size(), actual.size(), actual.toString());
        for (int i = 0; i < expected.size(); i++) assertEquals(expected.get(i), actual.get(i), 1e-12, actual.toString());
    }

    private static List<Double> burnRates(Slo slo) {
        return slo.rules().stream().map(r -> ((AlertRule.BurnRateRule) r).burnRate()).toList();
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    @Test
    void calendarPeriodsBudgetAndNoTrafficRules() throws IOException {
        SloConfig c = load("""
                slos:
                  - name: gateway
                    objective: 99.5
                    period: month
                    timezone: Europe/Berlin
                    rules:
                      - default
                      - {name: budget-low, severity: ticket, remainingBudgetBelow: 25%, for: 1h}
                      - {name: budget-exhausted, severity: page, remainingBudgetBelow: 0}
                      - {name: no-traffic, severity: page, noTrafficFor: 10m}
                  - {name: weekly, objective: 99, period: week}
                """);
        Slo gateway = c.slos().get(0);
        assertEquals(new SloPeriod.Calendar(SloPeriod.Calendar.Unit.MONTH, java.time.ZoneId.of("Europe/Berlin")), gateway.period());
        // a month's default table is scaled to 30 days, a week's to 7
        assertRates(List.of(14.4, 6.0, 3.0, 1.0), burnRates(gateway.withRules(gateway.rules().subList(0, 4))));
        assertEquals(new AlertRule.BudgetRule("budget-low", "ticket", 0.25, Duration.ofHours(1)), gateway.rule("budget-low"));
        assertEquals(new AlertRule.BudgetRule("budget-exhausted", "page", 0.0, Duration.ZERO), gateway.rule("budget-exhausted"));
        assertEquals(new AlertRule.NoTrafficRule("no-traffic", "page", Duration.ofMinutes(10)), gateway.rule("no-traffic"));
        assertEquals(new SloPeriod.Calendar(SloPeriod.Calendar.Unit.WEEK, java.time.ZoneOffset.UTC), c.slos().get(1).period());
        assertRates(List.of(3.36, 1.4, 0.7, 7.0 / 30), burnRates(c.slos().get(1)));
    }

    @Test
    void badCalendarPeriodsAndNewRuleKinds() throws IOException {
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    period: 30d
                    timezone: Europe/Berlin
                """), 5, "slos[0].timezone", "applies to a calendar period (period: month or week) only; period 30d, is rolling");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    period: month
                    timezone: Europe/Berlinn
                """), 5, "slos[0].timezone", "unknown time zone 'Europe/Berlinn'");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    period: monthly
                """), 4, "slos[0].period", "invalid duration 'monthly'; expected e.g. 30s, 5m, 1h, 1d or 1h30m; or month / week");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules:
                      - {name: r, severity: page, remainingBudgetBelow: 100%}
                """), 5, "slos[0].rules[0].remainingBudgetBelow", "must be from 0% (fires once the budget is overspent) to below 100%");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules:
                      - {name: r, severity: page, remainingBudgetBelow: -5%}
                """), 5, "slos[0].rules[0].remainingBudgetBelow", "got -5%");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules:
                      - {name: r, severity: page, remainingBudgetBelow: 10%, window: 5m}
                """), 5, "slos[0].rules[0]", "mixes threshold keys (errorRate, window) and the budget-rule key remainingBudgetBelow");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules:
                      - name: r
                        severity: page
                        noTrafficFor: 10m
                        for: 5m
                """), 8, "slos[0].rules[0].for", "only threshold and budget rules have a hold");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules:
                      - {name: r, severity: page, noTrafficFor: 10}
                """), 5, "slos[0].rules[0].noTrafficFor", "missing unit");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules:
                      - {name: r, severity: page, noTrafficFor: 0s}
                """), 5, "slos[0].rules[0].noTrafficFor", "must be > 0");
        assertError(fails("""
                slos:
                  - name: a
                    objective: 99
                    rules:
                      - {name: r, severity: page}
                """), 5, "slos[0].rules[0]", "remainingBudgetBelow (budget rule) or noTrafficFor (no-traffic rule)");
    }

    private Path file() {
        return dir.resolve("slos.yaml");
    }

    private SloConfig load(String yaml) throws IOException {
        Files.writeString(file(), yaml);
        return SloFileLoader.load(file());
    }

    private SloConfigException fails(String yaml) throws IOException {
        Files.writeString(file(), yaml);
        SloConfigException e = assertThrows(SloConfigException.class, () -> SloFileLoader.load(file()));
        assertNotNull(e.getMessage());
        return e;
    }

    /** The message is "file:line: key: detail" and the detail contains {@code fragment}. */
    private void assertError(SloConfigException e, int line, String key, String fragment) {
        String prefix = file() + ":" + line + ": " + key + ": ";
        assertTrue(e.getMessage().startsWith(prefix), () -> "expected prefix '" + prefix + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> "expected '" + fragment + "' in: " + e.getMessage());
        assertSame(null, e.getCause());
        assertEquals(line, e.line());
        assertEquals(key, e.key());
    }
}
