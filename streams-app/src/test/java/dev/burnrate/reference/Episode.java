package dev.burnrate.reference;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One firing episode of one alert (SLO, rule, group): fired at {@code firedMs}, resolved at {@code resolvedMs} (null
 * while still firing at the end of the run).
 */
public record Episode(String slo, String rule, String service, String route, long firedMs, Long resolvedMs) {

    /** The alert's identity, as the product spells it: slo/rule/service=S[,route=R]. */
    public String alert() {
        return slo + "/" + rule + "/service=" + service + (route == null ? "" : ",route=" + route);
    }

    /**
     * The episodes of a stream of alert records (the JSON alert format, in the order written): a firing record opens
     * one, the next resolved record of the same identity closes it. Identity and instants come from the labels and
     * {@code evaluatedAt}.
     */
    public static List<Episode> fromAlertRecords(List<JsonNode> records) {
        List<Episode> out = new ArrayList<>();
        Map<String, Integer> open = new HashMap<>();
        for (JsonNode a : records) {
            JsonNode l = a.get("labels");
            Episode key = new Episode(l.get("slo").asText(), l.get("rule").asText(), l.get("service").asText(),
                    l.hasNonNull("route") ? l.get("route").asText() : null, 0, null);
            long at = Instant.parse(a.get("evaluatedAt").asText()).toEpochMilli();
            String status = a.get("status").asText();
            if (status.equals("firing")) {
                if (open.containsKey(key.alert())) throw new AssertionError("firing twice without a resolve: " + a);
                open.put(key.alert(), out.size());
                out.add(new Episode(key.slo, key.rule, key.service, key.route, at, null));
            } else {
                Integer i = open.remove(key.alert());
                if (i == null) throw new AssertionError("resolved without firing: " + a);
                Episode e = out.get(i);
                out.set(i, new Episode(e.slo, e.rule, e.service, e.route, e.firedMs, at));
            }
        }
        return out;
    }
}
