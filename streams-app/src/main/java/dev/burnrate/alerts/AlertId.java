package dev.burnrate.alerts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An alert's stable identity: one SLO rule for one alert group (a service, or a route of it). Its text form
 * {@code slo/rule/service=<service>[,route=<route>]} is the alert record's key, the {@code id} users see, and the
 * key of the alert-state store (so the state of an alert survives restarts under the same key).
 *
 * @param route null for a {@code groupBy: service} SLO
 */
public record AlertId(String slo, String rule, String service, String route) {
    private static final String SERVICE = "service=";
    private static final String ROUTE = ",route=";

    /** The alert-state store's keys: the text form in UTF-8. */
    public static final Serde<AlertId> SERDE = Serdes.serdeFrom(
            (Serializer<AlertId>) (topic, id) -> id == null ? null : id.toString().getBytes(StandardCharsets.UTF_8),
            (Deserializer<AlertId>) (topic, b) -> b == null ? null : parse(new String(b, StandardCharsets.UTF_8)));

    public AlertId {
        Objects.requireNonNull(slo, "slo");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(service, "service");
    }

    /**
     * Reads the text form back. SLO and rule names cannot contain '/' (the SLO file says so); the group is split at
     * the first ",route=".
     *
     * @throws IllegalArgumentException if text is not an alert identity
     */
    public static AlertId parse(String text) {
        int a = text.indexOf('/');
        int b = a < 0 ? -1 : text.indexOf('/', a + 1);
        if (b < 0 || !text.startsWith(SERVICE, b + 1)) throw new IllegalArgumentException("not an alert identity: '" + text + "'");
        String group = text.substring(b + 1 + SERVICE.length());
        int comma = group.indexOf(ROUTE);
        return new AlertId(text.substring(0, a), text.substring(a + 1, b),
                comma < 0 ? group : group.substring(0, comma), comma < 0 ? null : group.substring(comma + ROUTE.length()));
    }

    /** A short hash of the identity: the same alert keeps the same key in PagerDuty and Alertmanager. */
    public String dedupKey() {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return slo + "/" + rule + "/" + SERVICE + service + (route == null ? "" : ROUTE + route);
    }
}
