package dev.burnrate.notifier.targets;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.burnrate.alerts.AlertJson;
import dev.burnrate.notifier.delivery.Message;
import dev.burnrate.schema.AlertStatus;
import dev.burnrate.schema.SloAlert;
import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * PagerDuty Events API v2: {@code trigger} on firing, {@code resolve} on resolved, with one dedup_key per episode
 * (the alert's dedup key and the episode's startsAt: a re-delivery of the same transition gives the same key, so
 * PagerDuty opens no second incident; a new episode after a resolve gets a new key). The routing key is chosen by
 * a label's value (e.g. team), else the default one; an alert with neither is not sent.
 */
public final class PagerDutyTarget implements Target {
    static final int MAX_SUMMARY = 1024;
    private final URI url;
    private final String defaultKey;
    private final String routingLabel;
    private final Map<String, String> keysByLabelValue;
    private final Map<String, String> severities;
    private final int ratePerMinute;

    public PagerDutyTarget(URI url, String defaultKey, String routingLabel, Map<String, String> keysByLabelValue,
                           Map<String, String> severities, int ratePerMinute) {
        this.url = url;
        this.defaultKey = defaultKey;
        this.routingLabel = routingLabel;
        this.keysByLabelValue = Map.copyOf(keysByLabelValue);
        this.severities = Map.copyOf(severities);
        this.ratePerMinute = ratePerMinute;
    }

    @Override
    public String name() {
        return "pagerduty";
    }

    public static String episodeKey(SloAlert a) {
        return a.getDedupKey() + "-" + a.getStartsAt().toEpochMilli();
    }

    @Override
    public Message message(SloAlert a, Instant now) {
        String key = keysByLabelValue.getOrDefault(a.getLabels().getOrDefault(routingLabel, ""), defaultKey);
        if (key == null || key.isBlank()) return null;
        boolean firing = a.getStatus() == AlertStatus.firing;
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("routing_key", key);
        e.put("event_action", firing ? "trigger" : "resolve");
        e.put("dedup_key", episodeKey(a));
        if (firing) {
            ObjectNode p = e.putObject("payload");
            String summary = a.getAnnotations().getOrDefault("summary", a.getId());
            p.put("summary", summary.length() > MAX_SUMMARY ? summary.substring(0, MAX_SUMMARY - 3) + "..." : summary);
            p.put("source", a.getLabels().getOrDefault("service", "burnrate"));
            p.put("severity", severity(a.getLabels().get("severity")));
            p.put("timestamp", a.getEvaluatedAt().toString());
            if (a.getLabels().containsKey("route")) p.put("component", a.getLabels().get("route"));
            p.put("group", a.getLabels().getOrDefault("slo", ""));
            p.put("class", a.getLabels().getOrDefault("rule", ""));
            ObjectNode details = p.putObject("custom_details");
            details.put("description", a.getAnnotations().getOrDefault("description", ""));
            details.set("labels", Json.strings(a.getLabels()));
            details.set("evidence", AlertJson.toTree(a).get("evidence"));
            ArrayNode links = e.putArray("links");
            String runbook = a.getAnnotations().get("runbook_url");
            if (runbook != null && !runbook.isBlank()) links.addObject().put("href", runbook).put("text", "Runbook");
            if (!a.getGeneratorURL().isBlank()) {
                links.addObject().put("href", a.getGeneratorURL()).put("text", "burnrate: " + a.getLabels().getOrDefault("service", ""));
                e.put("client_url", a.getGeneratorURL());
            }
            e.put("client", "burnrate");
        }
        return new Message(url, Json.write(e), (firing ? "trigger " : "resolve ") + a.getId());
    }

    /** Our severity mapped to one of PagerDuty's four; unmapped ones pass when already valid, else "error". */
    String severity(String ours) {
        String s = ours == null ? null : severities.get(ours);
        if (s != null) return s;
        return ours != null && (ours.equals("critical") || ours.equals("error") || ours.equals("warning") || ours.equals("info")) ? ours : "error";
    }

    @Override
    public int rateLimitPerMinute() {
        return ratePerMinute;
    }
}
