package dev.burnrate.notifier.targets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.burnrate.notifier.delivery.Message;
import dev.burnrate.schema.AlertStatus;
import dev.burnrate.schema.SloAlert;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A generic webhook in Alertmanager's webhook payload (version 4), one group per transition, so receivers written
 * for Alertmanager work unchanged. A firing alert's endsAt is Go's zero time, as Alertmanager sends it.
 */
public final class WebhookTarget implements Target {
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    private final URI url;
    private final int ratePerMinute;

    public WebhookTarget(URI url, int ratePerMinute) {
        this.url = url;
        this.ratePerMinute = ratePerMinute;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public Message message(SloAlert a, Instant now) {
        boolean firing = a.getStatus() == AlertStatus.firing;
        String status = firing ? "firing" : "resolved";
        String alertname = a.getLabels().getOrDefault("alertname", a.getId());
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("version", "4");
        body.put("groupKey", "{}:{alertname=\"" + alertname + "\"}");
        body.put("truncatedAlerts", 0);
        body.put("status", status);
        body.put("receiver", "burnrate");
        body.set("groupLabels", Json.strings(Map.of("alertname", alertname)));
        body.set("commonLabels", Json.strings(a.getLabels()));
        body.set("commonAnnotations", Json.strings(a.getAnnotations()));
        body.put("externalURL", origin(a.getGeneratorURL()));
        ObjectNode alert = Json.alertmanagerAlert(a, firing || a.getEndsAt() == null ? now : a.getEndsAt());
        alert.put("status", status);
        if (firing) alert.put("endsAt", ZERO_TIME);
        alert.put("fingerprint", fingerprint(a.getLabels()));
        body.putArray("alerts").add(alert);
        return new Message(url, Json.write(body), status + " " + a.getId());
    }

    /** Alertmanager's alert fingerprint: FNV-1a 64 over the sorted label names and values, each followed by 0xff. */
    public static String fingerprint(Map<String, String> labels) {
        long h = 0xcbf29ce484222325L;
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            h = fnv(fnv(fnv(fnv(h, e.getKey().getBytes(StandardCharsets.UTF_8)), SEP), e.getValue().getBytes(StandardCharsets.UTF_8)), SEP);
        }
        return String.format("%016x", h);
    }

    private static final byte[] SEP = {(byte) 0xff};

    private static long fnv(long h, byte[] bytes) {
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static String origin(String url) {
        try {
            URI u = URI.create(url);
            return u.getScheme() == null || u.getRawAuthority() == null ? "" : u.getScheme() + "://" + u.getRawAuthority();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    @Override
    public int rateLimitPerMinute() {
        return ratePerMinute;
    }
}
