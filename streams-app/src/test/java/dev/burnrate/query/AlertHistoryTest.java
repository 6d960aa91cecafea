package dev.burnrate.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Episodes from alert records: firing opens, resolved closes, each keeps its evidence; garbage is skipped; bounded. */
class AlertHistoryTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static AlertHistory history(int max) {
        return new AlertHistory(v -> {
            try {
                return JSON.readTree(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, max);
    }

    static byte[] record(String service, String rule, String status, String startsAt, String evaluatedAt, String topRoute) {
        String id = "availability/" + rule + "/service=" + service;
        String json = "{\"id\":\"" + id + "\",\"status\":\"" + status + "\",\"startsAt\":\"" + startsAt + "\","
                + "\"endsAt\":" + (status.equals("resolved") ? "\"" + evaluatedAt + "\"" : "null") + ",\"evaluatedAt\":\"" + evaluatedAt + "\","
                + "\"generatorURL\":\"http://x/ui/?service=" + service + "&at=" + evaluatedAt + "\","
                + "\"labels\":{\"slo\":\"availability\",\"rule\":\"" + rule + "\",\"severity\":\"page\",\"service\":\"" + service + "\"},"
                + "\"annotations\":{\"summary\":\"s\",\"description\":\"d\"},"
                + "\"evidence\":{\"windows\":[{\"window\":\"5m\",\"requests\":100,\"errors\":20,\"errorRatio\":0.2,\"burnRate\":40,\"threshold\":14.4}],"
                + "\"topRoutes\":[{\"route\":\"" + topRoute + "\",\"requests\":50,\"errors\":20,\"errorRatio\":0.4}],"
                + "\"topStatusCodes\":[{\"code\":503,\"count\":20,\"share\":1.0}]}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static long ms(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void firingThenResolvedIsOneEpisodeWithBothRecordsEvidence() {
        AlertHistory h = history(100);
        h.add(record("checkout", "fast-burn", "firing", "2026-03-02T01:00:00Z", "2026-03-02T01:00:00Z", "/api/pay"));
        h.add("not an alert".getBytes(StandardCharsets.UTF_8));
        h.add(null);
        h.add(record("checkout", "fast-burn", "resolved", "2026-03-02T01:00:00Z", "2026-03-02T01:20:00Z", "/api/cart"));
        h.add(record("checkout", "fast-burn", "firing", "2026-03-02T02:00:00Z", "2026-03-02T02:00:00Z", "/api/pay"));
        h.add(record("catalog", "slow-burn", "firing", "2026-03-02T01:10:00Z", "2026-03-02T01:10:00Z", "/products"));

        List<Views.AlertEpisode> all = h.episodes("checkout", 0, Long.MAX_VALUE).episodes();
        assertEquals(2, all.size(), "two episodes of the same alert: " + all);
        Views.AlertEpisode second = all.get(0);
        assertEquals("2026-03-02T02:00:00Z", second.firedAt(), "newest first");
        assertNull(second.endsAt(), "still firing");
        Views.AlertEpisode first = all.get(1);
        assertEquals("2026-03-02T01:20:00Z", first.endsAt());
        assertEquals("/api/pay", first.firing().topRoutes().get(0).route());
        assertEquals("/api/cart", first.resolved().topRoutes().get(0).route());
        assertEquals(503, first.firing().topStatusCodes().get(0).code());
        assertEquals(6, h.recordsRead(), "garbage counted as read, not as an episode");

        // [from, to] keeps the episodes that overlap it; an open episode overlaps everything after it fired
        assertEquals(List.of("2026-03-02T01:00:00Z"), h.episodes("checkout", ms("2026-03-02T01:10:00Z"), ms("2026-03-02T01:30:00Z"))
                .episodes().stream().map(Views.AlertEpisode::firedAt).toList());
        assertEquals(0, h.episodes("checkout", ms("2026-03-02T01:30:00Z"), ms("2026-03-02T01:50:00Z")).episodes().size());
        assertEquals(1, h.episodes("checkout", ms("2026-03-09T00:00:00Z"), Long.MAX_VALUE).episodes().size());
        assertEquals(3, h.episodes(null, 0, Long.MAX_VALUE).episodes().size(), "all services");
    }

    @Test
    void keepsTheNewestEpisodesOnly() {
        AlertHistory h = history(3);
        for (int i = 0; i < 5; i++) {
            String t = Instant.parse("2026-03-02T00:00:00Z").plusSeconds(600L * i).toString();
            h.add(record("svc" + i, "fast-burn", "firing", t, t, "/r"));
        }
        List<String> kept = h.episodes(null, 0, Long.MAX_VALUE).episodes().stream().map(Views.AlertEpisode::service).toList();
        assertEquals(List.of("svc4", "svc3", "svc2"), kept);
    }
}
