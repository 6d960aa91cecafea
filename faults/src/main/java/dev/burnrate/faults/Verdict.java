package dev.burnrate.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.burnrate.backtest.Backtest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference and the comparison: the backtest's transitions for the input topic against the alert records the
 * processors wrote, as lines "evaluatedAt id status" compared as multisets (lost = expected and missing, duplicated =
 * written but not expected, or written twice).
 */
record Verdict(int expected, List<String> lost, List<String> duplicated) {

    boolean ok() {
        return lost.isEmpty() && duplicated.isEmpty();
    }

    static Verdict compare(List<String> expected, List<String> live) {
        Map<String, Integer> left = new HashMap<>();
        expected.forEach(l -> left.merge(l, 1, Integer::sum));
        List<String> duplicated = new ArrayList<>();
        for (String l : live) {
            if (left.getOrDefault(l, 0) > 0) left.merge(l, -1, Integer::sum);
            else duplicated.add(l);
        }
        List<String> lost = new ArrayList<>();
        left.forEach((l, n) -> {
            for (int i = 0; i < n; i++) lost.add(l);
        });
        lost.sort(null);
        return new Verdict(expected.size(), lost, duplicated);
    }

    /** Every committed alert record (JSON) as "evaluatedAt id status", sorted; duplicates kept. */
    static List<String> live(KafkaOps kafka, String alertsTopic) throws IOException {
        List<String> out = new ArrayList<>();
        for (var r : kafka.readAll(alertsTopic)) {
            JsonNode a = Instance.JSON.readTree(r.value());
            out.add(a.get("evaluatedAt").asText() + " " + a.get("id").asText() + " " + a.get("status").asText());
        }
        out.sort(null);
        return out;
    }

    /** The backtest command's episodes for the topic's records in [from, to), as the alert records they stand for. */
    static List<String> backtest(String bootstrap, String topic, long from, long to) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Backtest.run(new String[] {"--bootstrap-server", bootstrap, "--topic", topic, "--from", Instant.ofEpochMilli(from).toString(),
                "--to", Instant.ofEpochMilli(to).toString(), "--json"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        if (exit != 0) throw new IllegalStateException("backtest exited " + exit + ": " + err.toString(StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) {
            JsonNode n = Instance.JSON.readTree(l);
            if (!n.get("type").asText().equals("episode")) continue;
            lines.add(n.get("firedAt").asText() + " " + n.get("id").asText() + " firing");
            if (!n.get("resolvedAt").isNull()) lines.add(n.get("resolvedAt").asText() + " " + n.get("id").asText() + " resolved");
        }
        lines.sort(null);
        return lines;
    }
}
