package dev.burnrate.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The query API under abuse, against a live instance with a bearer token: every protected endpoint without the token
 * and with wrong ones, huge and malformed parameters, paths and request lines (raw bytes on a socket: an HTTP client
 * library refuses to send most of them), and many slow clients at once while normal clients keep asking.
 */
final class ApiAbuse {
    /** The endpoints the token protects (HttpApi: /api and /internal), with parameters that make each answer with data. */
    static final List<String> PROTECTED = List.of("/api/services", "/api/services/checkout", "/api/services/checkout/timeseries",
            "/api/services/checkout/burnrates", "/api/alerts", "/api/alerts/history", "/internal/services", "/internal/alerts");

    private ApiAbuse() {
    }

    /** A raw answer: the status (-1 when the server closed or reset the connection without one) and what came back. */
    record Raw(int status, String head, String body) {
        boolean hasStackTrace() {
            return body.contains("\tat ") || body.contains("Exception") || body.contains("at java.") || body.contains("at dev.burnrate");
        }
    }

    /** A check: a request, the statuses it may get, and a line of what it is. */
    record Check(String what, byte[] request, Set<Integer> allowed) {
    }

    static byte[] get(String target, String... headers) {
        StringBuilder b = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) b.append(h).append("\r\n");
        return b.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sends the bytes on a connection of its own and reads the answer to its end (at most 256 KiB, 10 s). */
    static Raw send(int port, byte[] request) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(10_000);
            try {
                OutputStream out = s.getOutputStream();
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // a server refusing a huge request may answer and close before reading it all: read what it said
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; got.size() < 262_144 && (n = in.read(buf)) > 0; ) got.write(buf, 0, n);
            } catch (SocketTimeoutException e) {
                return new Raw(-2, "", "no answer within 10 s");
            } catch (IOException e) {
                // reset after the answer: keep what came
            }
            String all = got.toString(StandardCharsets.ISO_8859_1);
            int end = all.indexOf("\r\n\r\n");
            String head = end < 0 ? all : all.substring(0, end);
            String body = end < 0 ? "" : all.substring(end + 4);
            if (!head.startsWith("HTTP/1.1 ") || head.length() < 12) return new Raw(-1, head, body);
            return new Raw(Integer.parseInt(head.substring(9, 12)), head, body);
        } catch (IOException e) {
            return new Raw(-1, "", e.toString());
        }
    }

    /**
     * Every protected endpoint without the token and with wrong ones: 401 and a problem, never data; with the token,
     * 200 (the checks ask for what exists).
     */
    static List<Check> authChecks(String token) {
        List<Check> out = new ArrayList<>();
        for (String path : PROTECTED) out.add(new Check(path + " with the token", get(path, "Authorization: Bearer " + token), Set.of(200)));
        Map<String, String[]> variants = new java.util.LinkedHashMap<>();
        variants.put("no token", new String[0]);
        variants.put("a wrong token", new String[] {"Authorization: Bearer wrong"});
        variants.put("the token and one more character", new String[] {"Authorization: Bearer " + token + "x"});
        variants.put("a prefix of the token", new String[] {"Authorization: Bearer " + token.substring(0, token.length() - 1)});
        variants.put("the token without the Bearer scheme", new String[] {"Authorization: " + token});
        variants.put("the token as Basic credentials", new String[] {"Authorization: Basic " + token});
        variants.put("an empty Bearer", new String[] {"Authorization: Bearer "});
        variants.put("the token in the query string", new String[0]);
        for (String path : PROTECTED) {
            variants.forEach((what, headers) -> {
                String target = what.contains("query string") ? path + "?token=" + token + "&access_token=" + token : path;
                out.add(new Check(path + " with " + what, get(target, headers), Set.of(401)));
            });
        }
        return out;
    }

    /** Huge and malformed parameters, paths and request lines, with the right token: an error status, never a 5xx. */
    static List<Check> badInputChecks(String token) {
        String auth = "Authorization: Bearer " + token;
        String mb = "a".repeat(1 << 20);
        String ts = "/api/services/checkout/timeseries";
        Set<Integer> bad = Set.of(400, 404);
        Set<Integer> tooBig = Set.of(400, 413, 414, 431);
        List<Check> out = new ArrayList<>();
        out.add(new Check("a 1 MB query parameter", get(ts + "?from=" + mb, auth), tooBig));
        out.add(new Check("a 1 MB path", get("/api/services/" + mb, auth), tooBig));
        out.add(new Check("a 1 MB header", get("/api/services", auth, "X-Junk: " + mb), tooBig));
        out.add(new Check("a 1 MB token", get("/api/services", "Authorization: Bearer " + mb), tooBig));
        out.add(new Check("5,000 headers", get("/api/services", headers(auth, 5_000)), tooBig));
        out.add(new Check("a 300-character service", get("/api/services/" + "s".repeat(300), auth), bad));
        for (String q : List.of("from=%E2%82", "from=99999999999999999999", "from=-5", "from=2026-13-45T99:00:00Z", "to=+1000000000-01-01T00:00:00Z",
                "from=0&to=9223372036854775807", "from=9223372036854775000&to=9223372036854775807",
                "from=9223372036854775000&to=9223372036854775807&step=10s", "step=0s", "step=-5m", "step=1e9999h", "step=999999999999d",
                "step=999999999999999999999d", "step=7s", "step=10s&from=0&to=86400000", "from")) {
            out.add(new Check("timeseries?" + q, get(ts + "?" + q, auth), bad));
            out.add(new Check("burnrates?" + q, get("/api/services/checkout/burnrates?" + q, auth), bad));
        }
        for (String q : List.of("route=%00", "route=%FF%FE", "route=" + "r".repeat(4000), "route=other%0d%0aX-Injected:%20yes")) {
            out.add(new Check("timeseries?" + q, get(ts + "?" + q, auth), bad));
        }
        out.add(new Check("burnrates?slo=%00nope", get("/api/services/checkout/burnrates?slo=%00nope", auth), bad));
        // odd but answerable: a range in 1970, a repeated parameter (the first counts), empty pairs; and parameters
        // that cannot be percent-decoded, which Javalin leaves out (the default applies)
        for (String q : List.of("to=0", "from=0&to=1&step=10s", "from=1&from=2&to=3", "&&&==&=", "%", "from=%zz", "from=%", "step=%zz")) {
            out.add(new Check("timeseries?" + q, get(ts + "?" + q, auth), Set.of(200, 400)));
            out.add(new Check("burnrates?" + q, get("/api/services/checkout/burnrates?" + q, auth), Set.of(200, 400)));
        }
        for (String q : List.of("routes=abc", "routes=-1", "routes=0", "routes=99999999999")) {
            out.add(new Check("service?" + q, get("/api/services/checkout?" + q, auth), bad));
        }
        out.add(new Check("service?routes=%zz", get("/api/services/checkout?routes=%zz", auth), Set.of(200, 400)));
        for (String q : List.of("from=%zz", "from=abc", "to=99999999999999999999", "to=+1000000000-01-01T00:00:00Z", "from=9223372036854775807&to=0",
                "service=%00")) {
            out.add(new Check("history?" + q, get("/api/alerts/history?" + q, auth), Set.of(200, 400)));
        }
        for (String p : List.of("/api/services/%00", "/api/services/%", "/api/services/%zz", "/api/services/%E2%82", "/api/services/..%2F..%2Fetc%2Fpasswd",
                "/api/services/../../etc/passwd", "/api/services/checkout%2Ftimeseries", "/api//services", "/api/services/checkout/timeseries/extra",
                "/api/services/%C0%AE%C0%AE", "/api/services/%0d%0aX-Injected:%20yes", "/api/" + "x/".repeat(2_000), "/internal/../api/services",
                "/nope", "/ui/../../etc/passwd", "/webjars/../../etc/passwd", "*", "api/services")) {
            out.add(new Check("path " + abbreviate(p), get(p, auth), Set.of(400, 401, 404)));
        }
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "TRACE", "FOO")) {
            out.add(new Check(method + " /api/services", line(method + " /api/services HTTP/1.1", auth, "Content-Length: 5", "", "hello"),
                    Set.of(400, 404, 405, 501)));
        }
        out.add(new Check("a request line of garbage", "GARBAGE\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), Set.of(400)));
        out.add(new Check("HTTP/9.9", line("GET /api/services HTTP/9.9", auth), Set.of(400, 505)));
        out.add(new Check("a NUL in the request line", line("GET /api/services\0 HTTP/1.1", auth), Set.of(400)));
        out.add(new Check("a bad chunked body", line("GET /api/services HTTP/1.1", auth, "Transfer-Encoding: chunked", "", "zz\r\nxx"),
                Set.of(200, 400)));
        out.add(new Check("both Content-Length and chunked", line("GET /api/services HTTP/1.1", auth, "Content-Length: 3", "Transfer-Encoding: chunked",
                "", "0\r\n\r\n"), Set.of(200, 400)));
        out.add(new Check("no Host header", "GET /api/services HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
                Set.of(400)));
        return out;
    }

    private static String[] headers(String auth, int n) {
        String[] h = new String[n + 1];
        h[0] = auth;
        for (int i = 1; i <= n; i++) h[i] = "X-H" + i + ": v";
        return h;
    }

    /** A request with a raw request line; an empty element ends the headers, what follows is the body. */
    private static byte[] line(String requestLine, String... rest) {
        StringBuilder b = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        boolean body = false;
        for (String r : rest) {
            if (r.isEmpty() && !body) {
                body = true;
                b.append("\r\n");
            } else b.append(r).append(body ? "" : "\r\n");
        }
        if (!body) b.append("\r\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 40) + "... (" + s.length() + " characters)";
    }

    /**
     * Runs the checks; returns per status how many answered with it, and adds a failure for each answer outside its
     * allowed statuses, with a body holding a stack trace, or (for a 401) with anything but the problem.
     */
    static Map<Integer, Integer> run(int port, List<Check> checks, List<String> failures) {
        Map<Integer, Integer> byStatus = new TreeMap<>();
        for (Check c : checks) {
            Raw r = send(port, c.request());
            byStatus.merge(r.status(), 1, Integer::sum);
            if (!c.allowed().contains(r.status())) failures.add(c.what() + ": " + r.status() + " (allowed " + c.allowed() + ") " + abbreviate(r.body()));
            else if (r.hasStackTrace()) failures.add(c.what() + ": a stack trace in the answer: " + abbreviate(r.body()));
            else if (r.status() == 401 && !r.body().matches("(?s).*\\{\"status\":401,\"error\":\"[^\"]*\"}.*")) {
                failures.add(c.what() + ": 401 with more than the problem: " + abbreviate(r.body()));
            }
        }
        return byStatus;
    }

    /**
     * Slow clients, held open until {@link #close}: a third send a request's headers one byte a second and never end
     * them, a third connect and send nothing, a third pipeline requests for /metrics and never read the answers (a thread blocks writing
     * to each).
     * Counts the connections the server closed.
     */
    static final class SlowClients implements AutoCloseable {
        /** Requests for /metrics each non-reader sends at once: their answers are more than the socket buffers hold. */
        static final int PIPELINED = 10;
        final List<Socket> dribblers = new ArrayList<>();
        final List<Socket> silent = new ArrayList<>();
        final List<Socket> nonReaders = new ArrayList<>();
        final List<Long> silentClosedAfterMs = new CopyOnWriteArrayList<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;
        private final long started = System.nanoTime();
        int dribbleClosed;

        SlowClients(int port, int n, String token) throws IOException {
            byte[] pipelined = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(PIPELINED).getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < n; i++) {
                Socket s = new Socket();
                if (i % 3 == 2) s.setReceiveBufferSize(4096); // before connecting: the window it offers stays small
                s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                switch (i % 3) {
                    case 0 -> dribblers.add(s);
                    case 1 -> silent.add(s);
                    default -> {
                        nonReaders.add(s);
                        writeQuietly(s, pipelined);
                    }
                }
            }
            byte[] head = ("GET /api/services HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\nX-Slow: ")
                    .getBytes(StandardCharsets.ISO_8859_1);
            thread = new Thread(() -> {
                Set<Socket> closed = new java.util.HashSet<>();
                for (int second = 0; !stop.get(); second++) {
                    for (Socket s : dribblers) {
                        if (closed.contains(s)) continue;
                        if (!writeQuietly(s, new byte[] {second < head.length ? head[second] : (byte) 'x'})) closed.add(s);
                    }
                    for (Socket s : silent) {
                        if (closed.contains(s)) continue;
                        if (closedByServer(s)) {
                            closed.add(s);
                            silentClosedAfterMs.add((System.nanoTime() - started) / 1_000_000);
                        }
                    }
                    dribbleClosed = (int) dribblers.stream().filter(closed::contains).count();
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "slow-clients");
            thread.setDaemon(true);
            thread.start();
        }

        private static boolean writeQuietly(Socket s, byte[] b) {
            try {
                s.getOutputStream().write(b);
                s.getOutputStream().flush();
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private static boolean closedByServer(Socket s) {
            try {
                s.setSoTimeout(1);
                return s.getInputStream().read() < 0;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join();
            for (List<Socket> l : List.of(dribblers, silent, nonReaders)) {
                for (Socket s : l) {
                    try {
                        s.close();
                    } catch (IOException e) {
                        // closing anyway
                    }
                }
            }
        }
    }
}
