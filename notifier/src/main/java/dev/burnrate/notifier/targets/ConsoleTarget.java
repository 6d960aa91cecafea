package dev.burnrate.notifier.targets;

import dev.burnrate.notifier.delivery.Message;
import dev.burnrate.notifier.delivery.Response;
import dev.burnrate.notifier.delivery.Sender;
import dev.burnrate.schema.SloAlert;
import java.io.PrintStream;
import java.net.URI;
import java.time.Instant;

/**
 * Prints what a pager would have received, one line per transition (notifier.console.enabled): for the local demo
 * without Alertmanager, and for trying a config without an account anywhere. Its sender is the console.
 */
public final class ConsoleTarget implements Target {
    private static final URI CONSOLE = URI.create("console:stdout");

    @Override
    public String name() {
        return "console";
    }

    @Override
    public Message message(SloAlert a, Instant now) {
        return new Message(CONSOLE, "NOTIFY " + String.join(" | ", SlackTarget.lines(a, false)), a.getStatus() + " " + a.getId());
    }

    @Override
    public int rateLimitPerMinute() {
        return 6000;
    }

    /** Writes the message's text; always accepted. */
    public static Sender sender(PrintStream out) {
        return m -> {
            out.println(m.json());
            out.flush();
            return new Response(200, "", null);
        };
    }
}
