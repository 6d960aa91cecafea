package dev.burnrate.notifier.targets;

import dev.burnrate.notifier.delivery.Message;
import dev.burnrate.schema.SloAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * A receiver of alert transitions. It only says what to send; its worker sends it, with retries and rate limit.
 * Each target gets every transition of the alerts topic, in topic order per partition.
 */
public interface Target {
    /** For logs and metrics: "pagerduty", "slack", "alertmanager-1", ...; never a URL or key. */
    String name();

    /** What a transition sends; null when this target has nothing to send for it. */
    Message message(SloAlert transition, Instant now);

    /** Targets that must re-send the active alerts (Alertmanager) say how often; null = never. */
    default Duration resendInterval() {
        return null;
    }

    /** The periodic re-send of the active alerts; null when there is nothing to send. */
    default Message resend(Collection<SloAlert> active, Instant now) {
        return null;
    }

    /** Messages per minute at most. */
    int rateLimitPerMinute();
}
