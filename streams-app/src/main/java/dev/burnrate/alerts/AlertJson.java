package dev.burnrate.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.burnrate.schema.RouteEvidence;
import dev.burnrate.schema.SloAlert;
import dev.burnrate.schema.StatusCodeEvidence;
import dev.burnrate.schema.WindowEvidence;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON form of an alert record: the same fields as the Avro schema, times as RFC 3339 strings as Alertmanager's
 * API uses them, so a notifier can forward labels/annotations/startsAt/endsAt/generatorURL as they are.
 */
public final class AlertJson implements AlertEncoder {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public byte[] encode(SloAlert alert) {
        try {
            return MAPPER.writeValueAsBytes(toTree(alert));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode toTree(SloAlert a) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", a.getId());
        o.put("dedupKey", a.getDedupKey());
        o.put("status", a.getStatus().name());
        ObjectNode labels = o.putObject("labels");
        a.getLabels().forEach(labels::put);
        ObjectNode annotations = o.putObject("annotations");
        a.getAnnotations().forEach(annotations::put);
        o.put("startsAt", a.getStartsAt().toString());
        if (a.getEndsAt() != null) o.put("endsAt", a.getEndsAt().toString());
        else o.putNull("endsAt");
        o.put("evaluatedAt", a.getEvaluatedAt().toString());
        o.put("generatorURL", a.getGeneratorURL());
        ObjectNode ev = o.putObject("evidence");
        ArrayNode windows = ev.putArray("windows");
        for (WindowEvidence w : a.getEvidence().getWindows()) {
            windows.addObject().put("window", w.getWindow()).put("requests", w.getRequests()).put("errors", w.getErrors())
                    .put("errorRatio", w.getErrorRatio()).put("burnRate", w.getBurnRate()).put("threshold", w.getThreshold());
        }
        ArrayNode routes = ev.putArray("topRoutes");
        for (RouteEvidence r : a.getEvidence().getTopRoutes()) {
            routes.addObject().put("route", r.getRoute()).put("requests", r.getRequests()).put("errors", r.getErrors())
                    .put("errorRatio", r.getErrorRatio());
        }
        ArrayNode codes = ev.putArray("topStatusCodes");
        for (StatusCodeEvidence c : a.getEvidence().getTopStatusCodes()) {
            codes.addObject().put("code", c.getCode()).put("count", c.getCount()).put("share", c.getShare());
        }
        return o;
    }
}
