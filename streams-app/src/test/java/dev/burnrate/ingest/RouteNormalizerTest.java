package dev.burnrate.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteNormalizerTest {

    private final RouteNormalizer n = new RouteNormalizer();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = true, value = {
            // query strings and fragments
            "/search?q=kafka&page=2                          | /search",
            "/search?                                        | /search",
            "/docs#section-2                                 | /docs",
            "/a?next=/b/123#x                                | /a",
            "?only=query                                     | /",
            // numeric
            "/users/123                                      | /users/{id}",
            "/users/123/orders/0042                          | /users/{id}/orders/{id}",
            "/api/v2/items/7?expand=1                        | /api/v2/items/{id}",
            // UUIDs, any case
            "/orders/3f2b9c0e-8d4a-4e1f-9c3b-2a7d5e6f8a90    | /orders/{id}",
            "/orders/3F2B9C0E-8D4A-4E1F-9C3B-2A7D5E6F8A90/items | /orders/{id}/items",
            "/orders/abcdefab-cdef-abcd-efab-cdefabcdefab    | /orders/{id}",
            // hex ids: >= 8 hex chars with a digit
            "/commits/9fceb02d0ae598e95dc970b74767f19372d61af8 | /commits/{id}",
            "/objects/5f2b9c0e                               | /objects/{id}",
            "/objects/5f2b9c0                                | /objects/5f2b9c0",
            "/flags/deadbeef                                 | /flags/deadbeef",
            "/cafe/facade                                    | /cafe/facade",
            // opaque tokens: >= 20 of [A-Za-z0-9_-] with a digit
            "/invite/Zx9_kP2mQ-7vLr4TbN8s                    | /invite/{id}",
            "/posts/my-first-blog-post-from-2024             | /posts/{id}",
            "/v1/charges/ch_3PLx                             | /v1/charges/ch_3PLx",
            "/docs/getting-started-with-kafka                | /docs/getting-started-with-kafka",
            // words with digits stay
            "/api/v1/health                                  | /api/v1/health",
            "/oauth2/token                                   | /oauth2/token",
            // segments with other characters stay
            "/files/report.pdf                               | /files/report.pdf",
            "/users/john%40example.com                       | /users/john%40example.com",
            // full URLs keep only the path
            "http://shop.example.com/cart/981?coupon=x       | /cart/{id}",
            "https://api.example.com:8443/v1/users/7#top     | /v1/users/{id}",
            "http://shop.example.com                         | /",
            "https://shop.example.com?x=1                    | /",
            "/redirect?to=http://evil.example/123            | /redirect",
            // templates untouched
            "/users/{id}/orders/{orderId}                    | /users/{id}/orders/{orderId}",
            "/users/:id/orders/:order_id2                    | /users/:id/orders/:order_id2",
            "/cart/{id}?x=1                                  | /cart/{id}",
            // slashes
            "//users///123//                                 | /users/{id}",
            "/users/                                         | /users",
            "/                                               | /",
            "//                                              | /",
            "users/123                                       | /users/{id}",
    })
    void normalizes(String raw, String expected) {
        assertEquals(expected, n.normalize(raw));
    }

    @Test
    void emptyAndNullAreRoot() {
        assertEquals("/", n.normalize(""));
        assertEquals("/", n.normalize(null));
    }

    @Test
    void cleanRouteIsReturnedAsTheSameInstance() {
        String route = "/api/v1/users/{id}";
        assertSame(route, n.normalize(route));
    }

    @Test
    void placeholderIsConfigurable() {
        RouteNormalizer colon = RouteNormalizer.fromProperties(Map.of("ingest.route.placeholder", ":id"));
        assertEquals("/users/:id/orders/:id", colon.normalize("/users/12/orders/3f2b9c0e-8d4a-4e1f-9c3b-2a7d5e6f8a90"));
        // a segment equal to the placeholder stays; idempotent
        assertEquals("/users/:id", colon.normalize(colon.normalize("/users/12")));
    }

    @Test
    void normalizationOffOnlyDropsTheQueryString() {
        RouteNormalizer off = RouteNormalizer.fromProperties(Map.of("ingest.route.normalize", "false"));
        assertEquals("/users/123//orders/", off.normalize("/users/123//orders/?a=1"));
        assertEquals("http://h/x/9", off.normalize("http://h/x/9?q#f"));
        assertEquals("/", off.normalize("?q=1"));
        String clean = "/users/123";
        assertSame(clean, off.normalize(clean));
    }

    @Test
    void invalidConfigurationIsRejectedByKey() {
        IllegalArgumentException bool = assertThrows(IllegalArgumentException.class,
                () -> RouteNormalizer.fromProperties(Map.of("ingest.route.normalize", "yes")));
        assertTrue(bool.getMessage().contains("ingest.route.normalize"), bool.getMessage());
        IllegalArgumentException ph = assertThrows(IllegalArgumentException.class,
                () -> RouteNormalizer.fromProperties(Map.of("ingest.route.placeholder", "a/b")));
        assertTrue(ph.getMessage().contains("ingest.route.placeholder"), ph.getMessage());
    }

    @Test
    void normalizedOutputIsStable() {
        String[] raws = {"/a/1/b/2/", "http://x/y/3f2b9c0e?z", "//p//q", "/users/Zx9_kP2mQ-7vLr4TbN8s"};
        for (String raw : raws) {
            String once = n.normalize(raw);
            assertEquals(once, n.normalize(once), raw);
        }
    }
}
