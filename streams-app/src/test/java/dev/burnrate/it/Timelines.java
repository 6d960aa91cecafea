package dev.burnrate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.burnrate.backtest.Backtest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Alert timelines to compare: the live processor's alert records and the backtest's episodes, as the same lines. */
final class Timelines {
    static final ObjectMapper JSON = new ObjectMapper();

    private Timelines() {
    }

    /** Every committed record of the alerts topic (JSON) as "evaluatedAt id status", sorted; duplicates kept. */
    static List<String> live(String alertsTopic) throws Exception {
        List<String> live = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestSupport.readAll(alertsTopic)) {
            JsonNode a = JSON.readTree(r.value());
            live.add(a.get("evaluatedAt").asText() + " " + a.get("id").asText() + " " + a.get("status").asText());
        }
        live.sort(null);
        return live;
    }

    /** Runs the backtest command with --json (asserting exit 0) and returns its output lines. */
    static List<JsonNode> backtest(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Backtest.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        System.out.println("backtest " + String.join(" ", args) + ":\n" + err.toString(StandardCharsets.UTF_8));
        List<JsonNode> lines = new ArrayList<>();
        for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) lines.add(JSON.readTree(l));
        return lines;
    }

    /** The backtest's episodes as the alert records they stand for: "evaluatedAt id status", sorted. */
    static List<String> episodes(List<JsonNode> lines) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : lines) {
            if (!n.get("type").asText().equals("episode")) continue;
            out.add(n.get("firedAt").asText() + " " + n.get("id").asText() + " firing");
            if (!n.get("resolvedAt").isNull()) out.add(n.get("resolvedAt").asText() + " " + n.get("id").asText() + " resolved");
        }
        out.sort(null);
        return out;
    }
}
