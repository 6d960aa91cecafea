package dev.burnrate.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.burnrate.app.AppKey;
import dev.burnrate.app.TopologyHarness;
import dev.burnrate.slo.SloConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's first command promises a newcomer one incident whose alerts fire, are delivered and resolve. This plays
 * the demo's hour of traffic (its records, its event-time pace and its wall clock, at the default speed-up and rate)
 * through the processor's topology with the default SLO, as the demo runs it, and checks that only the incident
 * alerts and nothing flaps. At a 0.1% background error rate the first chance failures of the first minutes, when
 * every window holds only those minutes, fired the ticket rules of two healthy services, which then flapped.
 */
class DemoTrafficTest {

    @Test
    void theDemoHourAlertsOnlyOnItsIncidentAndFastBurnFiresAndResolves() {
        int speedup = Integer.parseInt(AppKey.DEMO_SPEEDUP.defaultValue);
        int rate = Integer.parseInt(AppKey.DEMO_RATE.defaultValue);
        long wallStart = Instant.parse("2026-03-02T01:00:00Z").toEpochMilli();
        long eventStart = wallStart - DemoTraffic.HISTORY.toMillis();
        long records = DemoTraffic.HISTORY.toMillis() / speedup * rate / 1000; // the catch-up, until event time is now
        int perWallStep = rate / 5; // the progress punctuation's 200 ms of wall clock
        Random random = new Random(DemoTraffic.SEED);
        try (TopologyHarness h = new TopologyHarness(SloConfig.defaultConfig(), Map.of(), Instant.ofEpochMilli(wallStart))) {
            for (long k = 0; k < records; k++) {
                long ts = eventStart + k * 1000 * speedup / rate;
                h.sendRaw(DemoRecords.next(random, ts, DemoTraffic.incidentAt(ts - eventStart)), ts);
                if (k % perWallStep == perWallStep - 1) h.driver.advanceWallClockTime(Duration.ofMillis(200));
            }
            h.driver.advanceWallClockTime(Duration.ofSeconds(1));
            List<JsonNode> alerts = h.readAlerts();

            long incidentStart = eventStart + DemoTraffic.INCIDENT_START.toMillis();
            for (JsonNode a : alerts) {
                assertEquals("checkout", a.get("labels").get("service").asText(), "only the incident's service alerts: " + a);
                assertTrue(Instant.parse(a.get("evaluatedAt").asText()).toEpochMilli() >= incidentStart,
                        "nothing before the incident: " + a.get("labels") + " at " + a.get("evaluatedAt"));
            }
            Map<String, List<String>> byRule = alerts.stream().collect(Collectors.groupingBy(
                    a -> a.get("labels").get("rule").asText(), Collectors.mapping(a -> a.get("status").asText(), Collectors.toList())));
            assertEquals(List.of("firing", "resolved"), byRule.get("fast-burn"), "the page the README shows: " + byRule);
            byRule.forEach((rule, statuses) -> assertEquals("firing", statuses.get(0), rule + " starts by firing"));
            byRule.forEach((rule, statuses) -> assertTrue(statuses.size() <= 2, rule + " does not flap: " + statuses));
        }
    }
}
