package dev.burnrate.notifier.targets;

import dev.burnrate.notifier.delivery.Message;
import dev.burnrate.schema.AlertStatus;
import dev.burnrate.schema.RouteEvidence;
import dev.burnrate.schema.SloAlert;
import dev.burnrate.schema.StatusCodeEvidence;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A Slack incoming webhook: one message per transition with what the runbook asks first (each window's error ratio
 * and burn rate, the top failing route, the dominant error code, the runbook link); resolved ones say so.
 */
public final class SlackTarget implements Target {
    private final URI webhook;
    private final int ratePerMinute;

    public SlackTarget(URI webhook, int ratePerMinute) {
        this.webhook = webhook;
        this.ratePerMinute = ratePerMinute;
    }

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public Message message(SloAlert a, Instant now) {
        var body = Json.MAPPER.createObjectNode();
        body.put("text", String.join("\n", lines(a, true)));
        return new Message(webhook, Json.write(body), a.getStatus() + " " + a.getId());
    }

    /** The message's lines, with Slack's markup (emoji, bold) or plain; the console prints them on one line. */
    static List<String> lines(SloAlert a, boolean markup) {
        boolean firing = a.getStatus() == AlertStatus.firing;
        List<String> out = new ArrayList<>();
        String severity = a.getLabels().getOrDefault("severity", "");
        String status = markup ? (firing ? ":rotating_light: *FIRING*" : ":white_check_mark: *RESOLVED*") : (firing ? "FIRING" : "RESOLVED");
        out.add(status + " [" + severity + "] " + a.getId());
        out.add(a.getAnnotations().getOrDefault("summary", ""));
        if (!firing && a.getEndsAt() != null) {
            out.add("Resolved at " + a.getEndsAt() + " after " + human(Duration.between(a.getStartsAt(), a.getEndsAt())));
        }
        out.add("Error ratio (burn rate): " + Json.windows(a));
        List<RouteEvidence> routes = a.getEvidence().getTopRoutes();
        if (!routes.isEmpty()) {
            RouteEvidence r = routes.get(0);
            out.add("Top failing route: " + r.getRoute() + " (" + r.getErrors() + " errors of " + r.getRequests() + " requests)");
        }
        List<StatusCodeEvidence> codes = a.getEvidence().getTopStatusCodes();
        if (!codes.isEmpty()) {
            out.add("Dominant status: " + codes.get(0).getCode() + " (" + Json.percent(codes.get(0).getShare()) + " of errors)");
        }
        String runbook = a.getAnnotations().get("runbook_url");
        if (runbook != null && !runbook.isBlank()) out.add("Runbook: " + runbook);
        if (!a.getGeneratorURL().isBlank()) out.add("Details: " + a.getGeneratorURL());
        return out;
    }

    private static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 3600 ? s / 3600 + "h" + (s % 3600) / 60 + "m" : s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
    }

    @Override
    public int rateLimitPerMinute() {
        return ratePerMinute;
    }
}
