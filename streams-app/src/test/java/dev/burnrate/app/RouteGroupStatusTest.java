package dev.burnrate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.app.TopologyFactory;
import dev.burnrate.app.PipelineTopologyTest;
import dev.burnrate.app.TopologyHarness;
import com.fasterxml.jackson.databind.JsonNode;
import dev.burnrate.query.LocalQueries;
import dev.burnrate.query.Views;
import dev.burnrate.slo.SloConfig;
import dev.burnrate.slo.SloFileLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@code groupBy: service+route} SLO: the query API shows one rule status per route, computed by the code the
 * evaluator decided on, so the numbers of a firing route are the alert's evidence, not the service's blend.
 */
class RouteGroupStatusTest {
    static final long S = PipelineTopologyTest.S;
    static final long T0 = PipelineTopologyTest.T0;
    static final long MIN = 60_000;

    @Test
    void ruleStatusPerRouteEqualsTheAlertEvidence() {
        SloConfig slos = SloFileLoader.parse(Path.of("route.yaml"), """
                slos:
                  - name: per-route
                    objective: 99.5
                    groupBy: service+route
                """);
        try (TopologyHarness h = new TopologyHarness(slos, PipelineTopologyTest.GRID, Instant.ofEpochMilli(S))) {
            // /api/pay fails 10% from T0 (fires at T0+2600s, see PipelineTopologyTest); /api/cart, 2 req/s, stays healthy
            PipelineTopologyTest.feed(h, S, T0 + 47 * MIN, T0, T0 + 60 * MIN, bucket -> {
                for (int i = 0; i < 20; i++) h.send(bucket + i * 500L + 1, "checkout", "/api/cart", 200);
            });
            JsonNode fire = PipelineTopologyTest.byRule(h.readAlerts()).get("fast-burn").get(0);
            assertEquals("per-route/fast-burn/service=checkout,route=/api/pay", fire.get("id").asText());

            LocalQueries q = new LocalQueries(h.slos, TopologyFactory.tierPlan(h.cfg, h.slos), h.storeAccess(),
                    TopologyFactory.STANDARD_WINDOWS);
            Views.ServiceDetail d = q.detail("checkout", 10);
            List<Views.RuleStatus> fast = d.slos().get(0).rules().stream().filter(r -> r.rule().equals("fast-burn")).toList();
            assertEquals(List.of("/api/cart", "/api/pay"), fast.stream().map(Views.RuleStatus::route).sorted().toList());
            Views.RuleStatus pay = fast.stream().filter(r -> r.route().equals("/api/pay")).findFirst().orElseThrow();
            Views.RuleStatus cart = fast.stream().filter(r -> r.route().equals("/api/cart")).findFirst().orElseThrow();
            assertTrue(pay.conditionTrue());
            assertFalse(cart.conditionTrue());
            // the service blend (half the requests healthy) would be below the threshold: the route's own numbers
            assertEquals(0.1, pay.windows().get(1).errorRatio(), 1e-9, "5m on /api/pay: 60 of 600");
            assertEquals(0, cart.windows().get(0).errors());

            // as of the last evaluated instant, T0+2810s: the 1h window of /api/pay alone, 7200 requests, 562 errors
            // (with /api/cart blended in, the service would show 14,400 requests)
            assertEquals(Instant.ofEpochMilli(T0 + 2810_000).toString(), d.asOf());
            assertEquals(7200, pay.windows().get(0).requests());
            assertEquals(562, pay.windows().get(0).errors());
            assertEquals(7200, fire.get("evidence").get("windows").get(0).get("requests").asLong(), "the alert's 1h window is the route's too");
            assertNull(d.slos().get(0).rules().stream().filter(r -> r.route() == null).findFirst().orElse(null),
                    "no service-level status for a per-route SLO");
        }
    }
}
