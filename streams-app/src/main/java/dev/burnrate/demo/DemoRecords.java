package dev.burnrate.demo;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** One random record of the demo mix: services, routes with ids in them, statuses, conventions, and some garbage. */
public final class DemoRecords {
    private static final String[] SERVICES = {"checkout", "catalog", "auth", "search"};
    private static final String[][] ROUTES = {
            {"/api/cart", "/api/pay", "/api/orders/%d"},
            {"/products/%d", "/products/%d/reviews?page=2", "/categories"},
            {"/login", "/token", "/users/%d/sessions"},
            {"/search?q=shoes", "/suggest?q=sh"}};
    private static final String[] METHODS = {"GET", "GET", "GET", "POST"};
    private static final AccessLogJson[] CONVENTIONS = AccessLogJson.values();

    private DemoRecords() {
    }

    /** @param incident whether checkout's /api/pay is failing now */
    public static byte[] next(Random random, long ts, boolean incident) {
        int r = random.nextInt(1000);
        if (r == 0) return "GET /api/pay HTTP/1.1 200 (a raw text line, not JSON)".getBytes(StandardCharsets.UTF_8);
        if (r == 1) return "{\"timestamp\":\"2026-01-01T00:00:00Z\",\"route\":\"/x\",\"status\":200}".getBytes(StandardCharsets.UTF_8);
        if (r == 2) return ("{\"timestamp\":" + ts + ",\"service\":\"auth\",\"route\":\"/login\",\"status\":999}").getBytes(StandardCharsets.UTF_8);
        int s = random.nextInt(SERVICES.length);
        String[] routes = ROUTES[s];
        String route = String.format(routes[random.nextInt(routes.length)], 1000 + random.nextInt(9000));
        int status = 200;
        int p = random.nextInt(1000);
        if (incident && s == 0 && route.equals("/api/pay")) status = p < 700 ? 503 : (p < 760 ? 500 : 200);
        // 0.02%: with a 99.5% SLO the ticket rules trip at 0.5% (3d/6h) and 1.5% (1d/2h), and in the demo's first
        // minutes every window holds only those minutes: at 0.1% the first chance failures tripped them and they flapped
        else if (p < 1 && random.nextInt(5) == 0) status = 500;
        else if (p < 30) status = 404;
        else if (p < 40) status = 302;
        double duration = 5 + random.nextInt(200);
        return CONVENTIONS[random.nextInt(CONVENTIONS.length)].bytes(ts, SERVICES[s], route, METHODS[random.nextInt(METHODS.length)], status, duration);
    }
}
