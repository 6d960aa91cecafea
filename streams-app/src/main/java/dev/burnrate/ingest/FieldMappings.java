package dev.burnrate.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where {@link JsonAccessLogParser} looks for each logical field of an access-log event: for each field an ordered
 * list of candidate paths, highest precedence first. Built-in defaults cover the common shipper conventions; paths
 * from configuration are put <em>before</em> the built-ins.
 *
 * <h2>Paths</h2>
 * A path is a dotted name such as {@code http.response.status_code}. It matches the value whether the record spells
 * it with dotted keys ({@code {"http.response.status_code":503}}), nested objects
 * ({@code {"http":{"response":{"status_code":503}}}}) or a mix ({@code {"http.response":{"status_code":503}}}).
 * Every path is also looked up under the OpenTelemetry attribute containers {@code attributes.} and
 * {@code resource.attributes.} (in that order, after the path itself), both as plain objects and as OTLP/JSON
 * key/value arrays ({@code [{"key":"service.name","value":{"stringValue":"cart"}}]}).
 *
 * <h2>Built-in candidates (in precedence order)</h2>
 * <ul>
 *   <li>timestamp: {@code time_iso8601} (nginx), {@code start_time} (Envoy/Istio), {@code time_local} (nginx),
 *       {@code time} (applications, the container runtime's capture time), {@code timestamp} (applications, Vector),
 *       {@code @timestamp} (ECS, Logstash, Fluent Bit; Filebeat's read time), {@code date} (Fluent Bit),
 *       {@code timeUnixNano}, {@code observedTimeUnixNano} (OTLP). Fields written by the web server or the
 *       application come first: they are the request's own time, whereas a shipper's field is often the time it read
 *       the line, which differs on a replay.</li>
 *   <li>service: {@code service}, {@code service.name} (ECS, OpenTelemetry), {@code service_name},
 *       {@code fields.service} (Filebeat's custom fields); then, derived, Envoy/Istio's {@code upstream_cluster} (see
 *       {@link JsonAccessLogParser}); then Kubernetes metadata ({@link #kubernetesServicePaths()}): the
 *       {@code app.kubernetes.io/name} label, the {@code app} label, the deployment, the container, each as Fluent
 *       Bit, Filebeat, Vector and the Collector's k8sattributes write them.</li>
 *   <li>route: {@code route}, {@code http.route} (OpenTelemetry; preferred over the concrete path),
 *       {@code endpoint}, {@code url.path} (ECS, OpenTelemetry), {@code path} (plain, Envoy), {@code http.target}
 *       (old OpenTelemetry), {@code request_uri} (nginx), {@code url.original} (ECS), {@code url.full},
 *       {@code http.url} (full URLs); then, derived, the target of a request line in {@code request}
 *       ({@code "GET /x HTTP/1.1"}: Vector's parse_nginx_log, nginx's {@code $request}).</li>
 *   <li>method: {@code method}, {@code http.request.method}, {@code http.method}, {@code request_method}; then the
 *       method of a request line in {@code request}.</li>
 *   <li>status: {@code status}, {@code status_code}, {@code http.response.status_code}, {@code http.status_code},
 *       {@code response_code}, {@code code} (Fluent Bit's nginx and apache parsers).</li>
 *   <li>duration: {@code duration_ms} (ms), {@code latency_ms} (ms), {@code event.duration} (ECS, ns),
 *       {@code request_time} (nginx, s), {@code duration} (Envoy, ms).</li>
 *   <li>dimensions: {@code region}, {@code cluster}, {@code cloud.region}, {@code k8s.cluster.name}.</li>
 * </ul>
 *
 * <h2>Configuration keys</h2>
 * Other keys in the map are ignored, so the whole application configuration can be passed in.
 * <ul>
 *   <li>{@code ingest.json.field.timestamp}, {@code ingest.json.field.service}, {@code ingest.json.field.route},
 *       {@code ingest.json.field.method}, {@code ingest.json.field.status}, {@code ingest.json.field.duration}:
 *       comma-separated paths, tried in the given order before the built-in candidates of that field. Example:
 *       {@code ingest.json.field.service=kubernetes.labels.team-service,app}.</li>
 *   <li>{@code ingest.json.field.duration.unit}: {@code ms} (default), {@code s}, {@code us} or {@code ns}: the unit
 *       of the paths in {@code ingest.json.field.duration} (built-in duration paths keep their own units). Setting it
 *       without {@code ingest.json.field.duration} is an error.</li>
 *   <li>{@code ingest.json.dimensions}: comma-separated paths of optional string dimensions copied into
 *       {@link AccessEvent#dimensions()} under the path as written (e.g. {@code cloud.region}). Replaces the default
 *       list; an empty value copies none. Keep it short: every dimension multiplies state downstream.</li>
 * </ul>
 * Any other {@code ingest.json.field.*} key is rejected with an {@link IllegalArgumentException} naming it.
 *
 * <p>Immutable and thread-safe.
 */
public final class FieldMappings {

    public static final String FIELD_PREFIX = "ingest.json.field.";
    public static final String DURATION_UNIT_KEY = FIELD_PREFIX + "duration.unit";
    public static final String DIMENSIONS_KEY = "ingest.json.dimensions";
    /** Containers under which every path is also looked up, in this order after the path itself. */
    public static final List<String> ATTRIBUTE_CONTAINERS = List.of("attributes", "resource.attributes");

    /** A logical field of {@link AccessEvent}; {@link #key()} is its configuration key suffix. */
    public enum Field {
        TIMESTAMP, SERVICE, ROUTE, METHOD, STATUS, DURATION;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String configKey() {
            return FIELD_PREFIX + key();
        }
    }

    /** Unit of a duration field. */
    public enum DurationUnit {
        NS, US, MS, S;

        /** Divides for the sub-millisecond units, so that e.g. 12345000 ns is exactly the double 12.345. */
        public double toMillis(double value) {
            return switch (this) {
                case NS -> value / 1_000_000.0;
                case US -> value / 1_000.0;
                case MS -> value;
                case S -> value * 1_000.0;
            };
        }

        /** Parses {@code ms}, {@code s}, {@code us} or {@code ns} (case-insensitive). */
        public static DurationUnit parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "ns" -> NS;
                case "us" -> US;
                case "ms" -> MS;
                case "s" -> S;
                default -> throw new IllegalArgumentException(
                        DURATION_UNIT_KEY + ": '" + s + "' is not one of ms, s, us, ns");
            };
        }
    }

    /** A duration candidate: where, and in which unit. */
    public record DurationPath(String path, DurationUnit unit) {
    }

    private static final Map<Field, List<String>> BUILT_IN = new EnumMap<>(Field.class);

    static {
        // the web server's and the application's own time fields first, the shippers' read times after them
        BUILT_IN.put(Field.TIMESTAMP, List.of("time_iso8601", "start_time", "time_local", "time", "timestamp",
                "@timestamp", "date", "timeUnixNano", "observedTimeUnixNano"));
        BUILT_IN.put(Field.SERVICE, List.of("service", "service.name", "service_name", "fields.service"));
        BUILT_IN.put(Field.ROUTE, List.of("route", "http.route", "endpoint", "url.path", "path", "http.target",
                "request_uri", "url.original", "url.full", "http.url"));
        BUILT_IN.put(Field.METHOD, List.of("method", "http.request.method", "http.method", "request_method"));
        BUILT_IN.put(Field.STATUS, List.of("status", "status_code", "http.response.status_code", "http.status_code",
                "response_code", "code"));
    }

    private static final List<DurationPath> BUILT_IN_DURATION = List.of(
            new DurationPath("duration_ms", DurationUnit.MS),
            new DurationPath("latency_ms", DurationUnit.MS),
            new DurationPath("event.duration", DurationUnit.NS),
            new DurationPath("request_time", DurationUnit.S),
            new DurationPath("duration", DurationUnit.MS));

    private static final List<String> ENVOY_CLUSTER = List.of("upstream_cluster");

    /** Kubernetes metadata as added by Fluent Bit's kubernetes filter, Filebeat's add_kubernetes_metadata (labels
     * de-dotted), Vector's kubernetes_logs source and the Collector's k8sattributes processor: the recommended
     * name label, the {@code app} label, the deployment, the container. */
    private static final List<String> KUBERNETES_SERVICE = List.of(
            "kubernetes.labels.app.kubernetes.io/name", "kubernetes.labels.app_kubernetes_io/name",
            "kubernetes.pod_labels.app.kubernetes.io/name", "k8s.pod.labels.app.kubernetes.io/name",
            "kubernetes.labels.app", "kubernetes.pod_labels.app", "k8s.pod.labels.app",
            "k8s.deployment.name", "kubernetes.deployment.name",
            "kubernetes.container_name", "kubernetes.container.name", "k8s.container.name");

    /** An HTTP request line {@code "GET /x HTTP/1.1"} (Vector's parse_nginx_log/parse_apache_log, nginx's
     * {@code $request}): a route and a method candidate after the plain ones. */
    private static final List<String> REQUEST_LINE = List.of("request");

    public static final List<String> DEFAULT_DIMENSIONS = List.of("region", "cluster", "cloud.region",
            "k8s.cluster.name");

    private static final FieldMappings DEFAULTS = new FieldMappings(Map.of(), List.of(), DEFAULT_DIMENSIONS);

    private final Map<Field, List<String>> paths;
    private final List<DurationPath> durationPaths;
    private final List<String> dimensions;
    private final Compiled compiled;

    private FieldMappings(Map<Field, List<String>> extra, List<DurationPath> extraDuration, List<String> dimensions) {
        Map<Field, List<String>> p = new EnumMap<>(Field.class);
        for (Field f : Field.values()) {
            if (f == Field.DURATION) continue;
            p.put(f, dedupe(extra.getOrDefault(f, List.of()), BUILT_IN.get(f)));
        }
        this.paths = Collections.unmodifiableMap(p);
        List<DurationPath> d = new ArrayList<>(extraDuration);
        for (DurationPath b : BUILT_IN_DURATION) {
            if (d.stream().noneMatch(x -> x.path().equals(b.path()))) d.add(b);
        }
        this.durationPaths = List.copyOf(d);
        this.dimensions = List.copyOf(new LinkedHashSet<>(dimensions));
        this.compiled = new Compiled(this);
    }

    private static List<String> dedupe(List<String> first, List<String> then) {
        LinkedHashSet<String> s = new LinkedHashSet<>(first);
        s.addAll(then);
        return List.copyOf(s);
    }

    /** The built-in mappings. */
    public static FieldMappings defaults() {
        return DEFAULTS;
    }

    /**
     * Built-ins plus the {@code ingest.json.*} keys of {@code props} (see the class documentation).
     *
     * @throws IllegalArgumentException on an unknown {@code ingest.json.field.*} key, a bad path or a bad unit
     */
    public static FieldMappings fromProperties(Map<String, ?> props) {
        Map<Field, List<String>> extra = new EnumMap<>(Field.class);
        List<DurationPath> extraDuration = new ArrayList<>();
        List<String> dims = DEFAULT_DIMENSIONS;
        DurationUnit unit = null;
        for (Map.Entry<String, ?> e : props.entrySet()) {
            String key = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue().toString();
            if (key.equals(DIMENSIONS_KEY)) {
                dims = parsePaths(key, value);
            } else if (key.equals(DURATION_UNIT_KEY)) {
                unit = DurationUnit.parse(value);
            } else if (key.startsWith(FIELD_PREFIX)) {
                Field field = fieldOf(key);
                extra.put(field, parsePaths(key, value));
            }
        }
        List<String> durationPaths = extra.remove(Field.DURATION);
        if (durationPaths != null) {
            DurationUnit u = unit == null ? DurationUnit.MS : unit;
            for (String path : durationPaths) extraDuration.add(new DurationPath(path, u));
        } else if (unit != null) {
            throw new IllegalArgumentException(DURATION_UNIT_KEY + " is set but " + Field.DURATION.configKey()
                    + " is not: the unit applies to configured duration paths only");
        }
        return new FieldMappings(extra, extraDuration, dims);
    }

    private static Field fieldOf(String key) {
        String suffix = key.substring(FIELD_PREFIX.length());
        for (Field f : Field.values()) {
            if (f.key().equals(suffix)) return f;
        }
        throw new IllegalArgumentException("unknown configuration key '" + key + "': expected one of "
                + FIELD_PREFIX + "{timestamp,service,route,method,status,duration}, " + DURATION_UNIT_KEY);
    }

    private static List<String> parsePaths(String key, String value) {
        List<String> out = new ArrayList<>();
        for (String raw : value.split(",")) {
            String p = raw.trim();
            if (p.isEmpty()) continue;
            if (p.startsWith(".") || p.endsWith(".") || p.contains("..")) {
                throw new IllegalArgumentException(key + ": '" + p + "' is not a valid path (empty segment)");
            }
            out.add(p);
        }
        return out;
    }

    /** Candidate paths of a field, highest precedence first (for {@link Field#DURATION}, the paths of
     * {@link #durationPaths()}). The Envoy-derived service is not included: see {@link #envoyClusterPaths()}. */
    public List<String> paths(Field field) {
        if (field == Field.DURATION) return durationPaths.stream().map(DurationPath::path).toList();
        return paths.get(field);
    }

    public List<DurationPath> durationPaths() {
        return durationPaths;
    }

    /** Kubernetes metadata paths tried for the service after the {@link #envoyClusterPaths() Envoy cluster}. */
    public List<String> kubernetesServicePaths() {
        return KUBERNETES_SERVICE;
    }

    /** Paths holding an HTTP request line, tried for the route and the method after their {@link #paths} */
    public List<String> requestLinePaths() {
        return REQUEST_LINE;
    }

    /** Paths holding an Istio-style Envoy cluster name ({@code outbound|8080||reviews.default.svc.cluster.local}),
     * tried for the service after every {@link #paths(Field) service path}. */
    public List<String> envoyClusterPaths() {
        return ENVOY_CLUSTER;
    }

    /** Dimension paths copied into {@link AccessEvent#dimensions()}, keyed by the path. */
    public List<String> dimensions() {
        return dimensions;
    }

    Compiled compiled() {
        return compiled;
    }

    @Override
    public String toString() {
        return "FieldMappings" + paths + " duration=" + durationPaths + " dimensions=" + dimensions;
    }

    // ---- lookup structure for the parser ----

    /** What a matching path feeds. {@code field} indexes the parser's slot arrays: 0-5 the core fields
     * (in {@link Field} order), 6+ the dimensions. */
    static final class Slot {
        static final int DIMENSION_BASE = Field.values().length;

        /** How the value is read: as is, or the service derived from an Envoy cluster, or the route/method taken
         * from a request line. */
        enum Derive { NONE, ENVOY_CLUSTER, REQUEST_LINE }

        final int field;
        final int rank;
        /** the path as written in the mapping (not the container-expanded form), for messages */
        final String path;
        /** for duration slots */
        final DurationUnit unit;
        final Derive derive;

        Slot(int field, int rank, String path, DurationUnit unit, Derive derive) {
            this.field = field;
            this.rank = rank;
            this.path = path;
            this.unit = unit;
            this.derive = derive;
        }
    }

    /** Flattened lookup: every container-expanded path to its slots, plus every proper prefix of those paths
     * (the objects and arrays worth descending into). */
    static final class Compiled {
        private final Map<String, Slot[]> slots = new HashMap<>();
        private final Set<String> prefixes = new HashSet<>();
        final String[] dimensionNames;
        final int slotCount;
        final String[] describe = new String[Slot.DIMENSION_BASE];
        /** the same lookup by a record's bytes */
        final PathIndex pathIndex;

        Compiled(FieldMappings m) {
            int nContainers = ATTRIBUTE_CONTAINERS.size() + 1;
            for (Field f : Field.values()) {
                int i = 0;
                List<String> all = new ArrayList<>(m.paths(f));
                if (f == Field.DURATION) {
                    for (DurationPath d : m.durationPaths) add(f.ordinal(), i++, nContainers, d.path(), d.unit(), Slot.Derive.NONE);
                } else {
                    for (String p : m.paths.get(f)) add(f.ordinal(), i++, nContainers, p, null, Slot.Derive.NONE);
                }
                if (f == Field.SERVICE) {
                    for (String p : m.envoyClusterPaths()) add(f.ordinal(), i++, nContainers, p, null, Slot.Derive.ENVOY_CLUSTER);
                    for (String p : m.kubernetesServicePaths()) add(f.ordinal(), i++, nContainers, p, null, Slot.Derive.NONE);
                    all.addAll(m.envoyClusterPaths());
                    all.addAll(m.kubernetesServicePaths());
                }
                if (f == Field.ROUTE || f == Field.METHOD) {
                    for (String p : m.requestLinePaths()) add(f.ordinal(), i++, nContainers, p, null, Slot.Derive.REQUEST_LINE);
                    all.addAll(m.requestLinePaths());
                }
                describe[f.ordinal()] = String.join(", ", all);
            }
            dimensionNames = m.dimensions.toArray(new String[0]);
            for (int d = 0; d < dimensionNames.length; d++) {
                add(Slot.DIMENSION_BASE + d, 0, nContainers, dimensionNames[d], null, Slot.Derive.NONE);
            }
            slotCount = Slot.DIMENSION_BASE + dimensionNames.length;
            pathIndex = new PathIndex(slots, prefixes);
        }

        private void add(int field, int index, int nContainers, String path, DurationUnit unit, Slot.Derive derive) {
            register(path, new Slot(field, index * nContainers, path, unit, derive));
            int c = 1;
            for (String container : ATTRIBUTE_CONTAINERS) {
                register(container + "." + path, new Slot(field, index * nContainers + c++, path, unit, derive));
            }
        }

        private void register(String fullPath, Slot slot) {
            Slot[] existing = slots.get(fullPath);
            if (existing == null) {
                slots.put(fullPath, new Slot[]{slot});
            } else {
                for (Slot s : existing) {
                    if (s.field == slot.field) return; // same field listed twice: the earlier (lower rank) stays
                }
                Slot[] grown = java.util.Arrays.copyOf(existing, existing.length + 1);
                grown[existing.length] = slot;
                slots.put(fullPath, grown);
            }
            for (int dot = fullPath.indexOf('.'); dot > 0; dot = fullPath.indexOf('.', dot + 1)) {
                prefixes.add(fullPath.substring(0, dot));
            }
        }

        Slot[] slots(String fullPath) {
            return slots.get(fullPath);
        }


        boolean isPrefix(String path) {
            return prefixes.contains(path);
        }
    }

    /**
     * {@link Compiled}'s paths as nodes, looked up by (node of the enclosing object, key bytes): a record's key is
     * followed without making a String of it or of its path. A key may itself hold dots ({@code {"http.response":
     * {"status_code":503}}}), so every split of a path at a dot is an entry: ({@code http}, {@code response.status_code}),
     * ({@code http.response}, {@code status_code}), (root, {@code http.response.status_code}).
     */
    static final class PathIndex {
        /** One path: the slots it feeds (null if none) and whether objects under it are worth reading. */
        static final class Node {
            final int id;
            final Slot[] slots;
            final boolean prefix;

            Node(int id, Slot[] slots, boolean prefix) {
                this.id = id;
                this.slots = slots;
                this.prefix = prefix;
            }
        }

        final Node root = new Node(0, null, true);
        private final int mask;
        private final int[] parents;
        private final byte[][] names;
        private final Node[] nodes;

        PathIndex(Map<String, Slot[]> slots, Set<String> prefixes) {
            Map<String, Node> byPath = new HashMap<>();
            Set<String> all = new java.util.TreeSet<>(slots.keySet());
            all.addAll(prefixes);
            for (String path : all) byPath.put(path, new Node(byPath.size() + 1, slots.get(path), prefixes.contains(path)));
            List<Object[]> entries = new ArrayList<>(); // {parent, name, node}
            for (Map.Entry<String, Node> e : byPath.entrySet()) {
                String path = e.getKey();
                entries.add(new Object[]{root, path, e.getValue()});
                for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
                    entries.add(new Object[]{byPath.get(path.substring(0, dot)), path.substring(dot + 1), e.getValue()});
                }
            }
            int size = Integer.highestOneBit(Math.max(16, entries.size() * 4 - 1)) * 2;
            mask = size - 1;
            parents = new int[size];
            names = new byte[size][];
            nodes = new Node[size];
            for (Object[] e : entries) {
                byte[] name = ((String) e[1]).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                int parent = ((Node) e[0]).id;
                int i = slot(parent, hash(name, 0, name.length));
                while (nodes[i] != null) i = (i + 1) & mask;
                parents[i] = parent;
                names[i] = name;
                nodes[i] = (Node) e[2];
            }
        }

        /** What the scanner computes over a key's bytes as it reads them. */
        static int hash(byte[] b, int from, int to) {
            int h = 0;
            for (int i = from; i < to; i++) h = 31 * h + b[i];
            return h;
        }

        private int slot(int parent, int hash) {
            int h = hash + parent * 0x9E3779B9;
            return (h ^ (h >>> 15)) & mask;
        }

        /** A byte loop: keys are short, where {@code Arrays.equals} pays for its vectorized set-up. */
        private static boolean sameName(byte[] name, byte[] b, int from, int len) {
            if (name.length != len) return false;
            for (int k = 0; k < len; k++) {
                if (name[k] != b[from + k]) return false;
            }
            return true;
        }

        /** The node of key {@code b[from, to)} (with {@code hash} from {@link #hash}) under {@code parent}, or null. */
        Node child(Node parent, byte[] b, int from, int to, int hash) {
            int len = to - from;
            for (int i = slot(parent.id, hash); ; i = (i + 1) & mask) {
                Node n = nodes[i];
                if (n == null) return null;
                if (parents[i] == parent.id && sameName(names[i], b, from, len)) return n;
            }
        }
    }
}
