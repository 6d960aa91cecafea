package dev.burnrate.notifier.delivery;

import java.net.URI;

/** One JSON POST a target wants made. {@code what} names it in logs ("trigger", "resend of 3 alerts"), never a secret. */
public record Message(URI uri, String json, String what) {
}
