package dev.burnrate.notifier.delivery;

import java.io.IOException;

/** Makes one attempt at a message. An IOException (refused, reset, timed out) is retried like a 5xx. */
@FunctionalInterface
public interface Sender {
    Response send(Message message) throws IOException, InterruptedException;
}
