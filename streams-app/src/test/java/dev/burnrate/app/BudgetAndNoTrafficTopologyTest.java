package dev.burnrate.app;

import static dev.burnrate.app.PipelineTopologyTest.at;
import static dev.burnrate.app.PipelineTopologyTest.byRule;
import static dev.burnrate.app.PipelineTopologyTest.feed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.burnrate.query.LocalQueries;
import dev.burnrate.query.Views;
import dev.burnrate.slo.SloConfig;
import dev.burnrate.slo.SloFileLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Budget rules on a calendar month crossing its boundary in a time zone, and a no-traffic rule driven by the wall
 * clock, through the real topology. Traffic is {@link PipelineTopologyTest#feed}'s: 20 requests per 10s bucket,
 * 2 of them 503s during an incident.
 */
class BudgetAndNoTrafficTopologyTest {
    static final long MIN = 60_000;

    static SloConfig slos(String yaml) {
        return SloFileLoader.parse(Path.of("test-slos.yaml"), yaml);
    }

    @Test
    void calendarMonthBudgetFiresInOctoberAndResolvesWhenNovemberStartsInBerlin() {
        // 2026-10-31T22:00Z is 23:00 CET (summer time ended on 25 October), one hour before November starts in
        // Berlin at 2026-10-31T23:00Z. The October period began at 2026-09-30T22:00Z (midnight CEST); traffic
        // starts at S, healthy, with an incident (10% errors) in [S+30m, S+45m).
        long s = Instant.parse("2026-10-31T22:00:00Z").toEpochMilli();
        long november = Instant.parse("2026-10-31T23:00:00Z").toEpochMilli();
        SloConfig slos = slos("""
                slos:
                  - name: shop-monthly
                    objective: 99
                    period: month
                    timezone: Europe/Berlin
                    rules:
                      - {name: budget-low, severity: ticket, remainingBudgetBelow: 25%}
                      - {name: budget-exhausted, severity: page, remainingBudgetBelow: 0%}
                """);
        try (TopologyHarness h = new TopologyHarness(slos, PipelineTopologyTest.GRID, Instant.ofEpochMilli(s))) {
            feed(h, s, s + 90 * MIN, s + 30 * MIN, s + 45 * MIN);
            Map<String, List<JsonNode>> alerts = byRule(h.readAlerts());

            // At S+30m+k*10s the month so far holds n = 180+k buckets: 20n requests, 2k errors; budget 1%.
            // budget-low: left < 25% <=> burn rate > 0.75 <=> 2k > 0.0075 * 20(180+k) <=> 1.85k > 27 <=> k >= 15.
            List<JsonNode> low = alerts.get("budget-low");
            assertEquals(2, low.size(), low.toString());
            assertEquals("firing", low.get(0).get("status").asText());
            assertEquals(s + 30 * MIN + 150_000, at(low.get(0)));
            JsonNode month = low.get(0).get("evidence").get("windows").get(0);
            assertEquals("month", month.get("window").asText());
            assertEquals(20 * 195, month.get("requests").asLong());
            assertEquals(30, month.get("errors").asLong());
            assertEquals(0.75, month.get("threshold").asDouble(), 1e-12, "a budget rule's threshold is in burn-rate terms: 1 - 25%");
            assertEquals(30.0 / 3900 / 0.01, month.get("burnRate").asDouble(), 1e-9);
            assertEquals("checkout: shop-monthly budget-low (ticket) firing: 23.08% of the error budget left this month (Europe/Berlin) "
                    + "(threshold: below 25.00%)", low.get(0).get("annotations").get("summary").asText());
            assertTrue(low.get(0).get("annotations").get("description").asText().contains("since 2026-10-01T00:00+02:00"),
                    low.get(0).get("annotations").get("description").asText());
            assertEquals("/api/pay", low.get(0).get("evidence").get("topRoutes").get(0).get("route").asText());
            assertEquals(503, low.get(0).get("evidence").get("topStatusCodes").get(0).get("code").asInt());

            // budget-exhausted: left < 0 <=> burn rate > 1 <=> 2k > 0.01 * 20(180+k) <=> 1.8k > 36 <=> k >= 21
            // (k = 20 is exactly 1x: the budget is spent, not overspent)
            List<JsonNode> exhausted = alerts.get("budget-exhausted");
            assertEquals(2, exhausted.size(), exhausted.toString());
            assertEquals(s + 30 * MIN + 210_000, at(exhausted.get(0)));

            // Still overspent at S+59m50s (180 errors in 359 buckets: 2.5x), but November starts at S+60m with a
            // fresh budget: both resolve at that instant, in the time zone's midnight, not UTC's.
            for (List<JsonNode> episode : List.of(low, exhausted)) {
                assertEquals("resolved", episode.get(1).get("status").asText());
                assertEquals(november, at(episode.get(1)));
                assertEquals(0, episode.get(1).get("evidence").get("windows").get(0).get("requests").asLong());
            }

            // The query API at the last evaluated instant (S+89m50s): November so far, exact to the step
            LocalQueries q = new LocalQueries(slos, TopologyFactory.tierPlan(h.cfg, slos), h.storeAccess(), TopologyFactory.STANDARD_WINDOWS);
            Views.SloStatus st = q.detail("checkout", 10).slos().get(0);
            assertEquals("month", st.period());
            assertEquals("Europe/Berlin", st.timezone());
            assertEquals("2026-10-31T23:00:00Z", st.periodStart());
            assertEquals("2026-11-30T23:00:00Z", st.resetsAt());
            assertEquals(179 * 20, st.periodRequests());
            assertEquals(0, st.periodErrors());
            assertEquals(1.0, st.remainingBudget());
            assertEquals(0.0, st.budgetBurned());
            Views.RuleStatus lowNow = st.rules().get(0);
            assertEquals("budget", lowNow.kind());
            assertEquals(false, lowNow.conditionTrue());
            assertEquals("month", lowNow.windows().get(0).window());
            assertEquals(179 * 20, lowNow.windows().get(0).requests());
        }
    }

    @Test
    void noTrafficFiresOnTheWallClockWhenAServiceGoesQuietAndResolvesWhenTrafficReturns() {
        long s = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
        SloConfig slos = slos("""
                slos:
                  - name: checkout-traffic
                    objective: 99.5
                    services: [checkout]
                    rules:
                      - {name: no-traffic, severity: page, noTrafficFor: 10m}
                """);
        try (TopologyHarness h = new TopologyHarness(slos, Map.of(), Instant.ofEpochMilli(s))) {
            feed(h, s, s + 10 * MIN, 0, 0); // the last bucket starts at S+9m50s; the wall clock is at S+10m
            assertEquals(List.of(), h.readAlerts());
            // No record any more: after idle.timeout (30s) the ingest task's progress marks follow the wall clock.
            for (int i = 0; i < 90; i++) h.driver.advanceWallClockTime(Duration.ofSeconds(10)); // to S+25m
            // The 10m window (10s buckets) at t covers [t-10m, t): empty from t = S+9m50s + 10s + 10m = S+20m.
            List<JsonNode> fired = h.readAlerts();
            assertEquals(1, fired.size(), fired.toString());
            assertEquals("firing", fired.get(0).get("status").asText());
            assertEquals(s + 20 * MIN, at(fired.get(0)));
            assertEquals("checkout-traffic/no-traffic/service=checkout", fired.get(0).get("id").asText());
            assertEquals("checkout: checkout-traffic no-traffic (page) firing: no requests over 10m (fires on none for 10m)",
                    fired.get(0).get("annotations").get("summary").asText());
            JsonNode w = fired.get(0).get("evidence").get("windows").get(0);
            assertEquals("10m", w.get("window").asText());
            assertEquals(0, w.get("requests").asLong());

            // Traffic returns at S+25m: the first evaluation whose window holds its first bucket resolves it
            feed(h, s + 25 * MIN, s + 27 * MIN, 0, 0);
            List<JsonNode> resolved = h.readAlerts();
            assertEquals(1, resolved.size(), resolved.toString());
            assertEquals("resolved", resolved.get(0).get("status").asText());
            assertEquals(s + 25 * MIN + 10_000, at(resolved.get(0)));
            assertEquals(fired.get(0).get("startsAt"), resolved.get(0).get("startsAt"));
        }
    }
}
