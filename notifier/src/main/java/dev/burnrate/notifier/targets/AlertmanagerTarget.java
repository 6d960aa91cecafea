package dev.burnrate.notifier.targets;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.burnrate.notifier.delivery.Message;
import dev.burnrate.schema.AlertStatus;
import dev.burnrate.schema.SloAlert;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * Alertmanager's API v2 ({@code POST /api/v2/alerts}, a JSON array). Alertmanager resolves an alert by itself once
 * its endsAt passes, so, as Prometheus does, every active alert is re-sent each resend interval with endsAt a few
 * intervals ahead, and a resolve is sent once with endsAt = the resolve time. One target per URL of an HA set:
 * each instance gets every alert (the instances deduplicate notifications among themselves).
 */
public final class AlertmanagerTarget implements Target {
    /** Prometheus sets endsAt to 4 x its resend delay: three re-sends may be lost before the alert resolves itself. */
    static final int ENDS_AT_INTERVALS = 4;
    private final String name;
    private final URI alerts;
    private final Duration resendInterval;
    private final int ratePerMinute;

    public AlertmanagerTarget(String name, URI base, Duration resendInterval, int ratePerMinute) {
        String b = base.toString();
        this.name = name;
        this.alerts = URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + "/api/v2/alerts");
        this.resendInterval = resendInterval;
        this.ratePerMinute = ratePerMinute;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Message message(SloAlert a, Instant now) {
        boolean firing = a.getStatus() == AlertStatus.firing;
        ArrayNode body = Json.MAPPER.createArrayNode();
        body.add(Json.alertmanagerAlert(a, firing ? activeUntil(now) : resolvedAt(a, now)));
        return new Message(alerts, Json.write(body), a.getStatus() + " " + a.getId());
    }

    @Override
    public Duration resendInterval() {
        return resendInterval;
    }

    @Override
    public Message resend(Collection<SloAlert> active, Instant now) {
        if (active.isEmpty()) return null;
        ArrayNode body = Json.MAPPER.createArrayNode();
        for (SloAlert a : active) body.add(Json.alertmanagerAlert(a, activeUntil(now)));
        return new Message(alerts, Json.write(body), "re-send of " + active.size() + " active alert(s)");
    }

    private Instant activeUntil(Instant now) {
        return now.plus(resendInterval.multipliedBy(ENDS_AT_INTERVALS));
    }

    /** The record's resolve instant (event time), never in the future (Alertmanager would keep it active until then). */
    private static Instant resolvedAt(SloAlert a, Instant now) {
        Instant end = a.getEndsAt() == null || a.getEndsAt().isAfter(now) ? now : a.getEndsAt();
        return end.isBefore(a.getStartsAt()) ? a.getStartsAt() : end;
    }

    @Override
    public int rateLimitPerMinute() {
        return ratePerMinute;
    }
}
