package dev.burnrate.query;

import dev.burnrate.core.Durations;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/JSON API of one instance:
 * <pre>
 *   GET /api/services                                  every service: requests, errors, error ratio, burn rate per window, firing alerts
 *   GET /api/services/{service}[?routes=N]             per window by route, status family and 5xx code; SLO burn rates and remaining budget
 *   GET /api/services/{service}/timeseries?from=&to=&step=[&route=]   requests/errors per step, for plotting
 *   GET /api/services/{service}/burnrates?from=&to=&step=[&slo=]      burn rate of each rule window per step, rules and thresholds
 *   GET /api/alerts                                    pending, firing and recently resolved alerts of all instances
 *   GET /api/alerts/history?[service=&]from=&to=      alert episodes from the alerts topic, with each record's evidence
 *   GET /ui/                                           the on-call page (static; it calls the API above with the same token)
 *   GET /health   GET /ready   GET /metrics (Prometheus)
 * </pre>
 * /api and /internal (instance-to-instance) take an optional bearer token; health, readiness, metrics and the page's
 * static files do not (the page holds no data: it asks for the token when the API answers 401).
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    /** Bounds and defaults of the query parameters. */
    public record Limits(Duration maxRange, int maxPoints, int maxRoutes, Duration minStep) {
    }

    /** Readiness: null when ready, else the reason. */
    public interface Readiness {
        String notReadyReason();
    }

    private final Javalin app;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicReference<QueryService> queries = new AtomicReference<>();
    private final AtomicReference<Readiness> readiness = new AtomicReference<>(() -> "starting");
    private final PrometheusMeterRegistry registry;
    private volatile Runnable beforeScrape = () -> { };
    private final Scrapes scrapes = new Scrapes();
    private final Limits limits;
    private final byte[] token;

    public HttpApi(PrometheusMeterRegistry registry, Limits limits, String bearerToken) {
        this.registry = registry;
        this.limits = limits;
        this.token = bearerToken.getBytes(StandardCharsets.UTF_8);
        app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(json, false));
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/ui";
                sf.directory = "/page";
                sf.location = io.javalin.http.staticfiles.Location.CLASSPATH;
                sf.headers = Map.of("Cache-Control", "no-cache");
            });
            cfg.staticFiles.enableWebjars(); // /webjars/uplot/<version>/dist/...: the charting library, from its Maven Central jar
        });
        app.get("/", ctx -> ctx.redirect("/ui/"));
        app.before("/api/*", this::authorize);
        app.before("/internal/*", this::authorize);
        app.get("/health", ctx -> ctx.json(Map.of("status", "alive")));
        app.get("/ready", this::ready);
        app.get("/metrics", this::metrics);
        app.get("/api/services", ctx -> ctx.json(queries().services()));
        app.get("/api/services/{service}", this::service);
        app.get("/api/services/{service}/timeseries", this::timeseries);
        app.get("/api/services/{service}/burnrates", this::burnRates);
        app.get("/api/alerts", ctx -> ctx.json(queries().alerts()));
        app.get("/api/alerts/history", this::history);
        app.get("/internal/services", ctx -> ctx.json(queries().localServices()));
        app.get("/internal/alerts", ctx -> ctx.json(queries().localAlerts()));
        app.exception(BadRequestException.class, (e, ctx) -> problem(ctx, 400, e.getMessage()));
        app.exception(NotFoundException.class, (e, ctx) -> problem(ctx, 404, e.getMessage()));
        app.exception(QueryUnavailableException.class, (e, ctx) -> {
            ctx.header("Retry-After", "1");
            problem(ctx, 503, e.getMessage());
        });
        app.exception(Exception.class, (e, ctx) -> {
            log.error("query failed: {} {}", ctx.method(), ctx.path(), e);
            problem(ctx, 500, "internal error: " + e);
        });
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) problem(ctx, 404, "no such endpoint: " + ctx.path());
        });
    }

    /** Starts listening; returns the port (useful with port 0). */
    public int start(String bindAddress, int port) {
        app.start(bindAddress, port);
        return app.port();
    }

    /** Connects the API to the running application; beforeScrape refreshes gauges computed from the stores. */
    public void attach(QueryService service, Readiness ready, Runnable beforeScrape) {
        this.beforeScrape = beforeScrape;
        queries.set(service);
        readiness.set(ready);
    }

    private QueryService queries() {
        QueryService q = queries.get();
        if (q == null) throw new QueryUnavailableException("starting");
        return q;
    }

    private void authorize(Context ctx) {
        if (token.length == 0) return;
        String h = ctx.header("Authorization");
        byte[] given = h != null && h.startsWith("Bearer ") ? h.substring(7).getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, token)) {
            ctx.header("WWW-Authenticate", "Bearer");
            problem(ctx, 401, "missing or wrong bearer token");
            ctx.skipRemainingHandlers();
        }
    }

    private void ready(Context ctx) {
        String reason = readiness.get().notReadyReason();
        if (reason == null) ctx.json(Map.of("status", "ready"));
        else ctx.status(503).json(Map.of("status", "not ready", "reason", reason));
    }

    private void metrics(Context ctx) throws InterruptedException {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(scrapes.get());
    }

    /**
     * Scrapes one at a time (one during another's refresh of the gauges can see a series twice: a 500), and shared:
     * a request waits for the next scrape to start after it arrived and takes its text, so a flood of requests costs
     * a scrape at a time, not one each (each reads the stores), and no answer is older than its request.
     */
    private final class Scrapes {
        private long started;
        private long finished;
        private boolean running;
        private String text;

        String get() throws InterruptedException {
            long wanted;
            synchronized (this) {
                wanted = started + 1;
                while (finished < wanted && running) wait();
                if (finished >= wanted) {
                    if (text == null) throw new IllegalStateException("the scrape this request waited for failed");
                    return text;
                }
                running = true;
                started = wanted;
            }
            String t = null;
            try {
                t = scrapeNow();
                return t;
            } finally {
                synchronized (this) {
                    text = t;
                    finished = wanted;
                    running = false;
                    notifyAll();
                }
            }
        }
    }

    private String scrapeNow() {
        beforeScrape.run();
        return registry.scrape();
    }

    private void service(Context ctx) {
        String service = serviceParam(ctx);
        int routes = intParam(ctx, "routes", 20, 1, limits.maxRoutes());
        ctx.json(queries().service(service, routes, forwarded(ctx), ctx.path() + QueryService.query(ctx.queryParamMap())));
    }

    private void timeseries(Context ctx) {
        String service = serviceParam(ctx);
        String route = ctx.queryParam("route");
        long to = instantParam(ctx, "to", System.currentTimeMillis());
        long from = instantParam(ctx, "from", to - 3_600_000);
        Duration step = durationParam(ctx, "step", Duration.ofMinutes(1));
        checkRange(from, to, step);
        ctx.json(queries().timeseries(service, route, from, to, step, forwarded(ctx), ctx.path() + QueryService.query(ctx.queryParamMap())));
    }

    private void burnRates(Context ctx) {
        String service = serviceParam(ctx);
        long to = instantParam(ctx, "to", System.currentTimeMillis());
        long from = instantParam(ctx, "from", to - 3_600_000);
        Duration step = durationParam(ctx, "step", Duration.ofMinutes(1));
        checkRange(from, to, step);
        ctx.json(queries().burnRates(service, ctx.queryParam("slo"), from, to, step, forwarded(ctx), ctx.path() + QueryService.query(ctx.queryParamMap())));
    }

    private void history(Context ctx) {
        long to = instantParam(ctx, "to", Long.MAX_VALUE);
        long from = instantParam(ctx, "from", 0);
        ctx.json(queries().history(ctx.queryParam("service"), from, to));
    }

    private void checkRange(long from, long to, Duration step) {
        if (to <= from) throw new BadRequestException("'to' must be after 'from'");
        if (step.compareTo(limits.maxRange()) > 0) throw new BadRequestException("step " + step + " is longer than query.max.range=" + limits.maxRange());
        if (to - from > limits.maxRange().toMillis()) {
            throw new BadRequestException("range " + Duration.ofMillis(to - from) + " is longer than query.max.range=" + limits.maxRange());
        }
        if (step.toMillis() < limits.minStep().toMillis() || step.toMillis() % limits.minStep().toMillis() != 0) {
            throw new BadRequestException("step must be a multiple of the evaluation interval " + limits.minStep());
        }
        if ((to - from) / step.toMillis() > limits.maxPoints()) {
            throw new BadRequestException("range/step gives " + (to - from) / step.toMillis() + " points, over query.max.points=" + limits.maxPoints());
        }
    }

    private static boolean forwarded(Context ctx) {
        return ctx.header(QueryService.FORWARDED_HEADER) != null;
    }

    private static String serviceParam(Context ctx) {
        String s = ctx.pathParam("service");
        if (s.isBlank() || s.length() > 256) throw new BadRequestException("service name must be 1-256 characters");
        return s;
    }

    private static int intParam(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) throw new BadRequestException("'" + name + "' must be between " + min + " and " + max + ", got " + n);
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequestException("'" + name + "' is not an integer: '" + v + "'");
        }
    }

    /** The furthest instant from 1970 a parameter may name: far from where a long's millis overflow in the step arithmetic. */
    private static final long MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

    private static long instantParam(Context ctx, String name, long dflt) {
        String v = ctx.queryParam(name);
        if (v == null) return dflt;
        try {
            long t = v.chars().allMatch(Character::isDigit) ? Long.parseLong(v) : Instant.parse(v).toEpochMilli();
            if (t >= -MAX_INSTANT && t <= MAX_INSTANT) return t;
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            // the message below
        }
        throw new BadRequestException("'" + name + "' must be an RFC 3339 time (2026-11-21T10:00:00Z) or epoch millis within years -9999 to 9999, got '" + v + "'");
    }

    private static Duration durationParam(Context ctx, String name, Duration dflt) {
        String v = ctx.queryParam(name);
        if (v == null) return dflt;
        try {
            Duration d = Durations.parse(v);
            if (d.isZero() || d.isNegative()) throw new BadRequestException("'" + name + "' must be positive");
            return d;
        } catch (RuntimeException e) {
            if (e instanceof BadRequestException b) throw b;
            throw new BadRequestException("'" + name + "' is not a duration (e.g. 10s, 1m, 1h): '" + v + "'");
        }
    }

    private static void problem(Context ctx, int status, String message) {
        ctx.status(status).json(new Views.Problem(status, message));
    }

    @Override
    public void close() {
        app.stop();
    }
}
