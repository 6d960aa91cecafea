package dev.burnrate.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a fake Confluent-compatible registry on 127.0.0.1. */
class RegistrySchemaResolverTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Req(String method, String path, String authorization, String contentType, String body) {
    }

    private HttpServer server;
    private ExecutorService executor;
    private String url;
    private final List<Req> requests = new CopyOnWriteArrayList<>();
    /** id -> response body for GET /schemas/ids/{id} */
    private final Map<Integer, String> idResponses = new ConcurrentHashMap<>();
    private final Map<String, Integer> registered = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(100);
    /** path -> forced (status, body) */
    private final Map<String, Map.Entry<Integer, String>> forced = new ConcurrentHashMap<>();
    private volatile long delayMs;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
        idResponses.put(1, JSON.createObjectNode().put("schema", BundledSchemas.accessLogEvent().toString()).toString());
        // Confluent sends schemaType only for non-Avro schemas, but some registries send "AVRO" explicitly
        idResponses.put(2, JSON.createObjectNode().put("schema", BundledSchemas.sloAlert().toString())
                .put("schemaType", "AVRO").toString());
        idResponses.put(3, "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\"; message M {}\"}");
        idResponses.put(4, "{\"schema\":\"{\\\"type\\\":\\\"nonsense\\\"}\"}");
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = ex.getRequestURI().getRawPath();
        requests.add(new Req(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Authorization"),
                ex.getRequestHeaders().getFirst("Content-Type"), body));
        if (delayMs > 0) {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Map.Entry<Integer, String> f = forced.get(path);
        if (f != null) {
            respond(ex, f.getKey(), f.getValue());
        } else if (ex.getRequestMethod().equals("GET") && path.startsWith("/schemas/ids/")) {
            String r = idResponses.get(Integer.parseInt(path.substring("/schemas/ids/".length())));
            if (r == null) {
                respond(ex, 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
            } else {
                respond(ex, 200, r);
            }
        } else if (ex.getRequestMethod().equals("POST") && path.startsWith("/subjects/") && path.endsWith("/versions")) {
            String subject = path.substring("/subjects/".length(), path.length() - "/versions".length());
            String schema = JSON.readTree(body).get("schema").asText();
            int id = registered.computeIfAbsent(subject + "\n" + new Schema.Parser().parse(schema),
                    k -> nextId.getAndIncrement());
            respond(ex, 200, "{\"id\":" + id + "}");
        } else {
            respond(ex, 404, "<html>no such page</html>");
        }
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private long hits(String method, String path) {
        return requests.stream().filter(r -> r.method.equals(method) && r.path.equals(path)).count();
    }

    @Test
    void fetchesSchemaByIdAndCachesItForever() {
        RegistrySchemaResolver r = new RegistrySchemaResolver(url + "/", null);
        Schema s = r.writerSchema(1);
        assertEquals(BundledSchemas.accessLogEvent(), s);
        assertEquals(1, hits("GET", "/schemas/ids/1"));
        for (int i = 0; i < 5; i++) {
            assertEquals(s, r.writerSchema(1));
        }
        assertEquals(1, hits("GET", "/schemas/ids/1"), "cached: no second request");
        assertEquals(BundledSchemas.sloAlert(), r.writerSchema(2));
        assertEquals(1, hits("GET", "/schemas/ids/2"));
    }

    @Test
    void unknownIdIsNullAndRememberedForTheTtlOnly() {
        AtomicLong now = new AtomicLong(0);
        RegistrySchemaResolver r = new RegistrySchemaResolver(url, null, Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofSeconds(30), now::get);
        assertNull(r.writerSchema(42));
        assertNull(r.writerSchema(42));
        assertEquals(1, hits("GET", "/schemas/ids/42"), "negative answer cached within the TTL");
        now.set(Duration.ofSeconds(31).toNanos());
        idResponses.put(42, idResponses.get(1)); // registered meanwhile
        assertEquals(BundledSchemas.accessLogEvent(), r.writerSchema(42));
        assertEquals(2, hits("GET", "/schemas/ids/42"));
    }

    @Test
    void nonAvroSchemaIsUnknownAndInvalidSchemaIsAnError() {
        RegistrySchemaResolver r = new RegistrySchemaResolver(url, null);
        assertNull(r.writerSchema(3));
        assertNull(r.writerSchema(3));
        assertEquals(1, hits("GET", "/schemas/ids/3"));
        SchemaResolverException e = assertThrows(SchemaResolverException.class, () -> r.writerSchema(4));
        assertTrue(e.getMessage().contains(url + "/schemas/ids/4"), e.getMessage());
    }

    @Test
    void a404ThatIsNotARegistryAnswerIsAnErrorNotAnUnknownId() {
        // e.g. schema.registry.url missing a path prefix: treating it as "unknown id" would dead-letter everything
        RegistrySchemaResolver r = new RegistrySchemaResolver(url + "/wrong-prefix", null);
        SchemaResolverException e = assertThrows(SchemaResolverException.class, () -> r.writerSchema(1));
        assertTrue(e.getMessage().contains(url + "/wrong-prefix/schemas/ids/1"), e.getMessage());
        assertTrue(e.getMessage().contains("404"), e.getMessage());
    }

    @Test
    void serverErrorsNameTheUrlAndStatus() {
        forced.put("/schemas/ids/1", Map.entry(500, "{\"error_code\":50001,\"message\":\"store error\"}"));
        forced.put("/schemas/ids/2", Map.entry(401, "{\"error_code\":401,\"message\":\"Unauthorized\"}"));
        forced.put("/schemas/ids/5", Map.entry(200, "not json"));
        RegistrySchemaResolver r = new RegistrySchemaResolver(url, null);
        SchemaResolverException e = assertThrows(SchemaResolverException.class, () -> r.writerSchema(1));
        assertTrue(e.getMessage().contains(url + "/schemas/ids/1") && e.getMessage().contains("500")
                && e.getMessage().contains("store error"), e.getMessage());
        e = assertThrows(SchemaResolverException.class, () -> r.writerSchema(2));
        assertTrue(e.getMessage().contains(RegistrySchemaResolver.BASIC_AUTH_USER_INFO_CONFIG), e.getMessage());
        e = assertThrows(SchemaResolverException.class, () -> r.writerSchema(5));
        assertTrue(e.getMessage().contains("invalid JSON"), e.getMessage());
        // failures are not cached: once the registry recovers the id resolves
        forced.clear();
        assertEquals(BundledSchemas.accessLogEvent(), r.writerSchema(1));
    }

    @Test
    void connectionRefusedNamesTheUrl() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String dead = "http://127.0.0.1:" + port;
        SchemaResolverException e = assertThrows(SchemaResolverException.class,
                () -> new RegistrySchemaResolver(dead, null).writerSchema(1));
        assertTrue(e.getMessage().contains(dead + "/schemas/ids/1"), e.getMessage());
    }

    @Test
    void slowRegistryTimesOut() {
        delayMs = 2_000;
        RegistrySchemaResolver r = new RegistrySchemaResolver(url, null, Duration.ofSeconds(2), Duration.ofMillis(200),
                Duration.ofSeconds(30), System::nanoTime);
        long t0 = System.nanoTime();
        SchemaResolverException e = assertThrows(SchemaResolverException.class, () -> r.writerSchema(1));
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() < 1_500, "gave up after the request timeout");
        assertTrue(e.getMessage().contains("timed out") && e.getMessage().contains(url + "/schemas/ids/1"),
                e.getMessage());
    }

    @Test
    void registersSchemaUnderSubjectAndCachesTheId() throws IOException {
        RegistrySchemaResolver r = new RegistrySchemaResolver(url, null);
        int id = r.idFor("alerts-value", BundledSchemas.sloAlert());
        assertEquals(100, id);
        assertEquals(100, r.idFor("alerts-value", BundledSchemas.sloAlert()));
        assertEquals(1, hits("POST", "/subjects/alerts-value/versions"), "cached: no second request");

        Req req = requests.get(0);
        assertEquals("application/vnd.schemaregistry.v1+json", req.contentType);
        JsonNode body = JSON.readTree(req.body);
        assertEquals(BundledSchemas.sloAlert(), new Schema.Parser().parse(body.get("schema").asText()));

        assertEquals(101, r.idFor("access-logs-value", BundledSchemas.accessLogEvent()));
        assertEquals(102, r.idFor("other-alerts-value", BundledSchemas.sloAlert()), "cache is per subject");
        assertEquals(3, requests.size());
    }

    @Test
    void registrationRejectedNamesTheUrl() {
        forced.put("/subjects/alerts-value/versions",
                Map.entry(409, "{\"error_code\":409,\"message\":\"Schema being registered is incompatible\"}"));
        SchemaResolverException e = assertThrows(SchemaResolverException.class,
                () -> new RegistrySchemaResolver(url, null).idFor("alerts-value", BundledSchemas.sloAlert()));
        assertTrue(e.getMessage().contains("POST " + url + "/subjects/alerts-value/versions")
                && e.getMessage().contains("409") && e.getMessage().contains("incompatible"), e.getMessage());
    }

    @Test
    void basicAuthHeaderSentOnlyWhenConfigured() {
        RegistrySchemaResolver withAuth = RegistrySchemaResolver.fromConfig(Map.of(
                SchemaResolver.REGISTRY_URL_CONFIG, url,
                RegistrySchemaResolver.BASIC_AUTH_USER_INFO_CONFIG, "alice:s3cr:et"));
        withAuth.writerSchema(1);
        withAuth.idFor("alerts-value", BundledSchemas.sloAlert());
        String expected = "Basic " + Base64.getEncoder().encodeToString("alice:s3cr:et".getBytes(StandardCharsets.UTF_8));
        assertEquals(2, requests.size());
        requests.forEach(req -> assertEquals(expected, req.authorization, req.path));

        requests.clear();
        new RegistrySchemaResolver(url, "").writerSchema(1);
        assertNull(requests.get(0).authorization);
    }
}
