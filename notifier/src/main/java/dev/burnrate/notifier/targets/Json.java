package dev.burnrate.notifier.targets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.burnrate.schema.SloAlert;
import dev.burnrate.schema.WindowEvidence;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** JSON building shared by the targets: one mapper, Alertmanager's alert fields, the evidence in short. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static String write(Object tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode strings(Map<String, String> m) {
        ObjectNode o = MAPPER.createObjectNode();
        m.forEach(o::put);
        return o;
    }

    /** labels, annotations, startsAt, endsAt, generatorURL: the fields Alertmanager's API and webhook share. */
    static ObjectNode alertmanagerAlert(SloAlert a, Instant endsAt) {
        ObjectNode o = MAPPER.createObjectNode();
        o.set("labels", strings(a.getLabels()));
        o.set("annotations", strings(a.getAnnotations()));
        o.put("startsAt", a.getStartsAt().toString());
        o.put("endsAt", endsAt.toString());
        o.put("generatorURL", a.getGeneratorURL());
        return o;
    }

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.2f%%", ratio * 100);
    }

    /** "1h 7.82% (15.6x), 5m 27.57% (55.1x)": each of the rule's windows, as the runbook asks first. */
    static String windows(SloAlert a) {
        StringBuilder s = new StringBuilder();
        for (WindowEvidence w : a.getEvidence().getWindows()) {
            if (!s.isEmpty()) s.append(", ");
            s.append(w.getWindow()).append(' ').append(percent(w.getErrorRatio()))
                    .append(String.format(Locale.ROOT, " (%.1fx)", w.getBurnRate()));
        }
        return s.toString();
    }
}
