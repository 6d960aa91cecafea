package dev.burnrate.notifier.delivery;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a record that failed finally to the notifier's dead-letter topic: the original key and value, with headers
 * saying which target, why (the processor's header names: burnrate.dlq.reason, .message, .source.*) and
 * burnrate.dlq.target. Waits for the broker's acknowledgement: only then may the offset be committed.
 */
public final class DeadLetters {
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final int MAX_MESSAGE = 4000;
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final DeliveryMetrics metrics;

    public DeadLetters(Producer<byte[], byte[]> producer, String topic, DeliveryMetrics metrics) {
        this.producer = producer;
        this.topic = topic;
        this.metrics = metrics;
    }

    public void write(ConsumerRecord<byte[], byte[]> source, String target, String reason, String message) throws InterruptedException {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, null, source.key(), source.value());
        String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message;
        r.headers().add("burnrate.dlq.reason", bytes(reason)).add("burnrate.dlq.message", bytes(text))
                .add("burnrate.dlq.target", bytes(target)).add("burnrate.dlq.source.topic", bytes(source.topic()))
                .add("burnrate.dlq.source.partition", bytes(Integer.toString(source.partition())))
                .add("burnrate.dlq.source.offset", bytes(Long.toString(source.offset())));
        while (true) {
            try {
                producer.send(r).get();
                metrics.deadLetter(reason);
                return;
            } catch (ExecutionException e) {
                // without the dead letter the offset must not move on: keep trying (the broker is needed anyway)
                log.warn("cannot write to dead-letter topic {} ({}); retrying in 1s", topic, e.getCause().toString());
                Thread.sleep(1000);
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
