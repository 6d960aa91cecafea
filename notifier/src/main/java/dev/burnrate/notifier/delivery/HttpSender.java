package dev.burnrate.notifier.delivery;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** POSTs JSON with the JDK's HttpClient; each attempt bounded by the request timeout. */
public final class HttpSender implements Sender {
    private static final int MAX_BODY = 2000;
    private final HttpClient client;
    private final Duration timeout;

    public HttpSender(Duration timeout) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
    }

    @Override
    public Response send(Message m) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(m.uri()).timeout(timeout)
                .header("Content-Type", "application/json").header("User-Agent", "burnrate-notifier")
                .POST(HttpRequest.BodyPublishers.ofString(m.json(), StandardCharsets.UTF_8)).build();
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        String body = r.body() == null ? "" : r.body();
        return new Response(r.statusCode(), body.length() > MAX_BODY ? body.substring(0, MAX_BODY) + "..." : body,
                r.headers().firstValue("Retry-After").map(HttpSender::retryAfter).orElse(null));
    }

    /** Retry-After is either delay-seconds or an HTTP date (RFC 9110 10.2.3); null when neither. */
    static Duration retryAfter(String value) {
        String v = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }
}
