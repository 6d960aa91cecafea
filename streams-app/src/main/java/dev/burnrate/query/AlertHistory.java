package dev.burnrate.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alert episodes as the alerts topic tells them: each firing record opens an episode (identity + startsAt), its
 * resolved record closes it, and both records' evidence is kept. The alert-state store only knows the current
 * episode of each alert, and forgets it soon after the resolve; the topic keeps every transition for a day.
 * Every instance reads the whole topic (one record per transition: few), so any instance answers for any service.
 * Bounded: the newest {@code maxEpisodes} episodes are kept.
 */
public final class AlertHistory {
    private static final Logger log = LoggerFactory.getLogger(AlertHistory.class);

    private final Function<byte[], JsonNode> decoder;
    private final int maxEpisodes;
    private final LinkedHashMap<String, Episode> episodes = new LinkedHashMap<>();
    private long records;
    private long undecodable;

    private static final class Episode {
        String id;
        JsonNode labels;
        String startsAt;
        String firedAt;
        String endsAt;
        String generatorURL;
        Views.Evidence firing;
        Views.Evidence resolved;
    }

    /** @param decoder an alert record's value as the JSON form of {@code AlertJson} (whatever alerts.format is) */
    public AlertHistory(Function<byte[], JsonNode> decoder, int maxEpisodes) {
        this.decoder = decoder;
        this.maxEpisodes = maxEpisodes;
    }

    /** Adds one record of the alerts topic. A record that cannot be decoded is skipped (and logged once). */
    public synchronized void add(byte[] value) {
        records++;
        JsonNode a;
        try {
            a = value == null ? null : decoder.apply(value);
        } catch (RuntimeException e) {
            a = null;
        }
        if (a == null || !a.hasNonNull("id") || !a.hasNonNull("startsAt") || !a.hasNonNull("status")) {
            if (undecodable++ == 0) log.warn("alert history: skipping a record of the alerts topic that is not an alert (further ones are counted silently)");
            return;
        }
        String key = a.get("id").asText() + "@" + a.get("startsAt").asText();
        Episode e = episodes.get(key);
        if (e == null) {
            e = new Episode();
            e.id = a.get("id").asText();
            e.startsAt = a.get("startsAt").asText();
            episodes.put(key, e);
            if (episodes.size() > maxEpisodes) {
                Iterator<String> oldest = episodes.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
        }
        e.labels = a.get("labels");
        e.generatorURL = a.path("generatorURL").asText(null);
        Views.Evidence ev = evidence(a);
        if (a.get("status").asText().equals("firing")) {
            e.firedAt = ev.evaluatedAt();
            e.firing = ev;
        } else {
            e.endsAt = a.path("endsAt").asText(ev.evaluatedAt());
            e.resolved = ev;
        }
    }

    /** Episodes of a service (all services when null) that overlap [fromMs, toMs], newest first. */
    public synchronized Views.AlertHistory episodes(String service, long fromMs, long toMs) {
        List<Views.AlertEpisode> out = new ArrayList<>();
        for (Episode e : episodes.values()) {
            String svc = e.labels.path("service").asText();
            if (service != null && !service.equals(svc)) continue;
            long start = Instant.parse(e.firedAt != null ? e.firedAt : e.startsAt).toEpochMilli();
            long end = e.endsAt == null ? Long.MAX_VALUE : Instant.parse(e.endsAt).toEpochMilli();
            if (start > toMs || end < fromMs) continue;
            out.add(new Views.AlertEpisode(e.id, e.labels.path("slo").asText(null), e.labels.path("rule").asText(null),
                    e.labels.path("severity").asText(null), svc, e.labels.path("route").asText(null), e.startsAt, e.firedAt, e.endsAt,
                    e.generatorURL, e.firing, e.resolved));
        }
        out.sort(Comparator.comparing((Views.AlertEpisode x) -> x.firedAt() != null ? x.firedAt() : x.startsAt()).reversed()
                .thenComparing(Views.AlertEpisode::id));
        return new Views.AlertHistory(Instant.now().toString(), recordsRead(), out);
    }

    public synchronized long recordsRead() {
        return records;
    }

    private static Views.Evidence evidence(JsonNode a) {
        JsonNode ev = a.path("evidence");
        List<Views.WindowEvidence> windows = new ArrayList<>();
        for (JsonNode w : ev.path("windows")) {
            windows.add(new Views.WindowEvidence(w.path("window").asText(), w.path("requests").asLong(), w.path("errors").asLong(),
                    w.path("errorRatio").asDouble(), w.path("burnRate").asDouble(), w.path("threshold").asDouble()));
        }
        List<Views.RouteEvidence> routes = new ArrayList<>();
        for (JsonNode r : ev.path("topRoutes")) {
            routes.add(new Views.RouteEvidence(r.path("route").asText(), r.path("requests").asLong(), r.path("errors").asLong(), r.path("errorRatio").asDouble()));
        }
        List<Views.CodeEvidence> codes = new ArrayList<>();
        for (JsonNode c : ev.path("topStatusCodes")) {
            codes.add(new Views.CodeEvidence(c.path("code").asInt(), c.path("count").asLong(), c.path("share").asDouble()));
        }
        Map<String, JsonNode> ann = new LinkedHashMap<>();
        a.path("annotations").fields().forEachRemaining(f -> ann.put(f.getKey(), f.getValue()));
        return new Views.Evidence(a.path("evaluatedAt").asText(null), text(ann.get("summary")), text(ann.get("description")), windows, routes, codes);
    }

    private static String text(JsonNode n) {
        return n == null ? null : n.asText();
    }
}
