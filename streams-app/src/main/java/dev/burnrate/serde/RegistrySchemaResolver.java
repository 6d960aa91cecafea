package dev.burnrate.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.avro.Schema;

/**
 * Client of a Confluent-compatible Schema Registry REST API, on the JDK's {@link HttpClient} (no Confluent jars).
 *
 * <ul>
 *   <li>read: {@code GET {url}/schemas/ids/{id}} -> {@code {"schema": "..."}}; cached by id forever (ids are
 *       immutable). A 404 carrying a registry {@code error_code} is an unknown id ({@code null}); it is remembered
 *       for {@link #DEFAULT_UNKNOWN_ID_TTL} so a burst of bad records does not become a burst of requests. A schema
 *       whose {@code schemaType} is not AVRO is also reported as unknown (we can only read Avro).</li>
 *   <li>write: {@code POST {url}/subjects/{subject}/versions} with {@code {"schema": "..."}} -> {@code {"id": N}};
 *       cached by subject + schema text.</li>
 * </ul>
 * Everything else (connection refused, timeouts of {@link #DEFAULT_CONNECT_TIMEOUT}/{@link #DEFAULT_REQUEST_TIMEOUT},
 * 401/403, 5xx, a 404 that is not a registry answer e.g. a wrong URL path, unparsable bodies) is a
 * {@link SchemaResolverException} whose message names the URL.
 */
public final class RegistrySchemaResolver implements SchemaResolver {

    /** {@code user:password} for HTTP basic auth; optional. */
    public static final String BASIC_AUTH_USER_INFO_CONFIG = "schema.registry.basic.auth.user.info";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_UNKNOWN_ID_TTL = Duration.ofSeconds(30);

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String authorization; // null when no basic auth
    private final Duration requestTimeout;
    private final long unknownIdTtlNanos;
    private final LongSupplier nanoClock;
    private final HttpClient http;

    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<Integer, Long> unknownUntilNanos = new ConcurrentHashMap<>();
    private final Set<Integer> notAvro = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> idBySubjectAndSchema = new ConcurrentHashMap<>();

    /**
     * @param url      registry base URL, e.g. {@code http://registry:8081} (one URL; a trailing slash is ignored)
     * @param userInfo {@code user:password} for basic auth, or null/blank for none
     */
    public RegistrySchemaResolver(String url, String userInfo) {
        this(url, userInfo, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_UNKNOWN_ID_TTL, System::nanoTime);
    }

    RegistrySchemaResolver(String url, String userInfo, Duration connectTimeout, Duration requestTimeout,
                           Duration unknownIdTtl, LongSupplier nanoClock) {
        this.baseUrl = normalizeUrl(url);
        this.authorization = basicAuth(userInfo);
        this.requestTimeout = requestTimeout;
        this.unknownIdTtlNanos = unknownIdTtl.toNanos();
        this.nanoClock = nanoClock;
        // redirects are not followed (the default): they would carry the Authorization header to another host
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    /** From {@value SchemaResolver#REGISTRY_URL_CONFIG} and optional {@value #BASIC_AUTH_USER_INFO_CONFIG}. */
    public static RegistrySchemaResolver fromConfig(Map<String, String> config) {
        return new RegistrySchemaResolver(config.get(REGISTRY_URL_CONFIG), config.get(BASIC_AUTH_USER_INFO_CONFIG));
    }

    public String url() {
        return baseUrl;
    }

    @Override
    public Schema writerSchema(int id) {
        Schema cached = byId.get(id);
        if (cached != null) {
            return cached;
        }
        if (notAvro.contains(id)) {
            return null;
        }
        Long until = unknownUntilNanos.get(id);
        if (until != null) {
            if (nanoClock.getAsLong() - until < 0) {
                return null;
            }
            unknownUntilNanos.remove(id, until);
        }
        String url = baseUrl + "/schemas/ids/" + id;
        HttpResponse<String> resp = send(HttpRequest.newBuilder(URI.create(url)).GET(), url);
        if (resp.statusCode() == 404 && isRegistryError(resp.body())) {
            unknownUntilNanos.put(id, nanoClock.getAsLong() + unknownIdTtlNanos);
            return null;
        }
        JsonNode body = expectOk(resp, url);
        JsonNode type = body.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
            notAvro.add(id); // ids are immutable: it will never be Avro
            return null;
        }
        JsonNode schemaText = body.get("schema");
        if (schemaText == null || !schemaText.isTextual()) {
            throw new SchemaResolverException("GET " + url + ": response has no \"schema\" string: "
                    + abbreviate(resp.body()));
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(schemaText.asText());
        } catch (RuntimeException e) {
            // SchemaParseException mostly, but Avro 1.12 throws a NullPointerException for an unknown type name
            throw new SchemaResolverException("GET " + url + ": schema id " + id + " is not a valid Avro schema: "
                    + e, e);
        }
        Schema prev = byId.putIfAbsent(id, schema);
        return prev != null ? prev : schema;
    }

    @Override
    public int idFor(String subject, Schema schema) {
        String schemaJson = schema.toString();
        String key = subject + '\n' + schemaJson;
        Integer cached = idBySubjectAndSchema.get(key);
        if (cached != null) {
            return cached;
        }
        String url = baseUrl + "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20")
                + "/versions";
        ObjectNode req = JSON.createObjectNode().put("schema", schemaJson);
        HttpResponse<String> resp = send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(req.toString(), StandardCharsets.UTF_8)), url);
        JsonNode id = expectOk(resp, url).get("id");
        if (id == null || !id.canConvertToInt()) {
            throw new SchemaResolverException("POST " + url + ": response has no integer \"id\": "
                    + abbreviate(resp.body()));
        }
        idBySubjectAndSchema.put(key, id.intValue());
        return id.intValue();
    }

    private HttpResponse<String> send(HttpRequest.Builder builder, String url) {
        builder.timeout(requestTimeout).header("Accept", ACCEPT);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        HttpRequest request = builder.build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new SchemaResolverException("schema registry " + request.method() + " " + url + " timed out: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new SchemaResolverException("schema registry " + request.method() + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaResolverException("interrupted calling schema registry " + url, e);
        }
    }

    private static JsonNode expectOk(HttpResponse<String> resp, String url) {
        String method = resp.request().method();
        if (resp.statusCode() / 100 != 2) {
            String hint = switch (resp.statusCode()) {
                case 401, 403 -> " (check " + BASIC_AUTH_USER_INFO_CONFIG + ")";
                case 404 -> " (not a schema registry answer: check " + REGISTRY_URL_CONFIG + ")";
                default -> "";
            };
            throw new SchemaResolverException("schema registry " + method + " " + url + " returned HTTP "
                    + resp.statusCode() + hint + ": " + abbreviate(resp.body()));
        }
        try {
            JsonNode node = JSON.readTree(resp.body());
            if (node == null || !node.isObject()) {
                throw new SchemaResolverException("schema registry " + method + " " + url
                        + " did not return a JSON object: " + abbreviate(resp.body()));
            }
            return node;
        } catch (IOException e) {
            throw new SchemaResolverException("schema registry " + method + " " + url + " returned invalid JSON: "
                    + abbreviate(resp.body()), e);
        }
    }

    /** A Confluent-style error body, {@code {"error_code": 40403, "message": ...}}, as opposed to e.g. a proxy's page. */
    private static boolean isRegistryError(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() && node.has("error_code");
        } catch (IOException e) {
            return false;
        }
    }

    private static String normalizeUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(REGISTRY_URL_CONFIG + " is not set");
        }
        String u = url.trim();
        if (u.contains(",")) {
            throw new IllegalArgumentException(REGISTRY_URL_CONFIG + " must be a single URL, got '" + u + "'");
        }
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(REGISTRY_URL_CONFIG + " is not a valid URL: '" + u + "'", e);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException(REGISTRY_URL_CONFIG + " must be an http(s) URL, got '" + u + "'");
        }
        return u;
    }

    private static String basicAuth(String userInfo) {
        if (userInfo == null || userInfo.isBlank()) {
            return null;
        }
        if (!userInfo.contains(":")) {
            throw new IllegalArgumentException(BASIC_AUTH_USER_INFO_CONFIG + " must be user:password");
        }
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String oneLine = s.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }
}
