package dev.burnrate.ingest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One web-server access-log line as plain text, the way Filebeat, Fluent Bit without a parser, the Kubernetes log
 * wrapper and the OpenTelemetry Collector's filelog receiver ship it (in {@code message}, {@code log} or the log
 * record's body): the NCSA common format ({@code %h %l %u %t "%r" %>s %b}), Apache/nginx combined (plus
 * {@code "referer" "user-agent"}) and nginx's default {@code main} (plus {@code "$http_x_forwarded_for"}); anything
 * after those fields (ingress-nginx's upstream info, a custom tail) is ignored.
 *
 * @param timeMs  the request's time ({@code [10/Oct/2000:13:55:36 -0700]}), epoch millis
 * @param method  from the request line, or null when the request line was not one ({@code "-"}, a TLS probe's bytes)
 * @param target  the request target (path and query) from the request line, or null likewise
 * @param status  the status code as written (not range-checked here)
 */
public record AccessLine(long timeMs, String method, String target, int status) {

    // host ident user [time] "request" status bytes; the request may hold \" (Apache) or \x22 (nginx) escapes
    private static final Pattern LINE = Pattern.compile(
            "^\\S+ \\S+ \\S+ \\[([^\\]]+)\\] \"((?:[^\"\\\\]|\\\\.)*)\" (\\d{3}) (?:\\d+|-)(?:$|\\s.*)", Pattern.DOTALL);

    /** The line's fields, or null when it is not an access-log line of these formats or its time is unreadable. */
    public static AccessLine parse(String line) {
        String s = line.strip();
        if (s.isEmpty() || s.charAt(0) == '{') return null;
        Matcher m = LINE.matcher(s);
        if (!m.matches()) return null;
        long time = Timestamps.parseNginxLocal(m.group(1));
        if (time == Timestamps.BAD_TIME) return null;
        String request = m.group(2);
        return new AccessLine(time, requestMethod(request), requestTarget(request), Integer.parseInt(m.group(3)));
    }

    /** {@code GET} of {@code "GET /x?y=1 HTTP/1.1"} (also without the protocol, HTTP/0.9 style); null when the line
     * is not {@code METHOD SP target [SP protocol]} with an upper-case method token. */
    public static String requestMethod(String requestLine) {
        int sp = requestLine.indexOf(' ');
        if (sp <= 0 || requestTarget(requestLine) == null) return null;
        for (int i = 0; i < sp; i++) {
            char c = requestLine.charAt(i);
            if (c < 'A' || c > 'Z') return null;
        }
        return requestLine.substring(0, sp);
    }

    /** {@code /x?y=1} of {@code "GET /x?y=1 HTTP/1.1"}; null when there is no target starting with '/' (or a full
     * URL, as a proxy's request line has). */
    public static String requestTarget(String requestLine) {
        int sp = requestLine.indexOf(' ');
        if (sp <= 0) return null;
        int end = requestLine.indexOf(' ', sp + 1);
        String target = end < 0 ? requestLine.substring(sp + 1) : requestLine.substring(sp + 1, end);
        if (target.isEmpty()) return null;
        char c = target.charAt(0);
        return c == '/' || target.startsWith("http://") || target.startsWith("https://") ? target : null;
    }
}
