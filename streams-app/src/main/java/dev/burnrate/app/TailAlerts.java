package dev.burnrate.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.burnrate.alerts.AlertJson;
import dev.burnrate.serde.AlertAvroSerde;
import dev.burnrate.serde.ConfluentAvro;
import dev.burnrate.serde.SchemaResolver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Prints the alerts topic from the beginning, one line per alert record (or the whole record with --json), and
 * keeps following it. For people without Kafka's command-line tools at hand:
 * {@code mvn -q -pl streams-app exec:java -Dexec.mainClass=dev.burnrate.app.TailAlerts [-Dexec.args="--json"]}.
 * Reads JSON and Confluent-framed Avro alert records alike.
 */
public final class TailAlerts {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        String bootstrap = "127.0.0.1:9092";
        String topic = "slo-alerts";
        boolean full = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bootstrap-server" -> bootstrap = args[++i];
                case "--topic" -> topic = args[++i];
                case "--json" -> full = true;
                default -> {
                    System.err.println("usage: TailAlerts [--bootstrap-server HOST:PORT] [--topic slo-alerts] [--json]");
                    System.exit(2);
                }
            }
        }
        AlertAvroSerde avro = new AlertAvroSerde(SchemaResolver.fromConfig(Map.of()));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "burnrate-tail-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            System.err.println("following " + topic + " on " + bootstrap + " (Ctrl-C to stop)");
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    JsonNode alert = ConfluentAvro.looksFramed(r.value())
                            ? AlertJson.toTree(avro.deserializer().deserialize(topic, r.value()))
                            : JSON.readTree(r.value());
                    System.out.println(full ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(alert) : line(alert));
                }
            }
        }
    }

    static String line(JsonNode a) {
        return String.format("%-8s %-9s %s  %s", a.get("status").asText().toUpperCase(java.util.Locale.ROOT),
                a.get("labels").get("severity").asText(), a.get("evaluatedAt").asText(), a.get("annotations").get("summary").asText());
    }
}
