package dev.burnrate.notifier;

import dev.burnrate.app.AppConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/**
 * The notifier's own configuration keys, their defaults and types; config/notifier.properties documents each
 * (NotifierConfigTest keeps the two in step). Keys shared with the processor (alerts.topic, schema.registry.*)
 * have the processor's names, so one environment variable sets both.
 */
public enum NotifierKey {
    ALERTS_TOPIC("alerts.topic", "slo-alerts", String.class),
    SCHEMA_REGISTRY_URL("schema.registry.url", "", String.class),
    SCHEMA_REGISTRY_AUTH("schema.registry.basic.auth.user.info", "", String.class),
    AVRO_SCHEMA_ID_ALERT("avro.schema.id.alert", "2", Integer.class),
    GROUP_ID("notifier.group.id", "burnrate-notifier", String.class),
    DLQ_TOPIC("notifier.dlq.topic", "slo-alerts-notifier-dlq", String.class),
    TOPICS_CREATE("notifier.topics.create", "true", Boolean.class),
    HTTP_BIND_ADDRESS("notifier.http.bind.address", "127.0.0.1", String.class),
    HTTP_PORT("notifier.http.port", "8081", Integer.class),
    REQUEST_TIMEOUT("notifier.request.timeout", "10s", Duration.class),
    RETRY_INITIAL_BACKOFF("notifier.retry.initial.backoff", "500ms", Duration.class),
    RETRY_MAX_BACKOFF("notifier.retry.max.backoff", "1m", Duration.class),
    RETRY_MAX_ELAPSED("notifier.retry.max.elapsed", "10m", Duration.class),
    CONSOLE_ENABLED("notifier.console.enabled", "false", Boolean.class),
    ALERTMANAGER_URLS("notifier.alertmanager.urls", "", URI[].class),
    ALERTMANAGER_RESEND_INTERVAL("notifier.alertmanager.resend.interval", "1m", Duration.class),
    ALERTMANAGER_RATE_LIMIT("notifier.alertmanager.rate.limit", "600", Integer.class),
    PAGERDUTY_URL("notifier.pagerduty.url", "https://events.pagerduty.com/v2/enqueue", URI.class),
    PAGERDUTY_ROUTING_KEY("notifier.pagerduty.routing.key", "", String.class),
    PAGERDUTY_ROUTING_LABEL("notifier.pagerduty.routing.label", "team", String.class),
    PAGERDUTY_RATE_LIMIT("notifier.pagerduty.rate.limit", "120", Integer.class),
    SLACK_WEBHOOK_URL("notifier.slack.webhook.url", "", URI.class),
    SLACK_RATE_LIMIT("notifier.slack.rate.limit", "60", Integer.class),
    WEBHOOK_URL("notifier.webhook.url", "", URI.class),
    WEBHOOK_RATE_LIMIT("notifier.webhook.rate.limit", "600", Integer.class);

    /** Keys under these prefixes: routing keys per label value, our severity -> PagerDuty severity. */
    static final String ROUTING_KEY_PREFIX = "notifier.pagerduty.routing.key.";
    static final String SEVERITY_PREFIX = "notifier.pagerduty.severity.";
    /** Values never logged: routing keys, webhook URLs (Slack's carries its secret in the path). */
    static final Set<String> SECRETS = Set.of(PAGERDUTY_ROUTING_KEY.key, SLACK_WEBHOOK_URL.key, WEBHOOK_URL.key, SCHEMA_REGISTRY_AUTH.key);

    public final String key;
    public final String defaultValue;
    final Function<String, Object> type;

    NotifierKey(String key, String defaultValue, Class<?> type) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.type = type == URI.class ? NotifierKey::url : type == URI[].class ? NotifierKey::urls : AppConfig.type(type);
    }

    static NotifierKey byKey(String key) {
        for (NotifierKey k : values()) if (k.key.equals(key)) return k;
        return null;
    }

    static boolean isPrefixed(String key) {
        return key.startsWith(ROUTING_KEY_PREFIX) || key.startsWith(SEVERITY_PREFIX);
    }

    /** Empty (target off) or an absolute http(s) URL. */
    static URI url(String s) {
        if (s.isBlank()) return null;
        URI u;
        try {
            u = URI.create(s.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL (" + e.getMessage() + ")");
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL");
        }
        return u;
    }

    static URI[] urls(String s) {
        return java.util.Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).map(NotifierKey::url).toArray(URI[]::new);
    }
}
