package dev.burnrate.ingest;

import java.util.Map;

/**
 * Turns a raw request path into a route with bounded cardinality, so that {@code /users/123} and
 * {@code /users/456} count as one route.
 *
 * <p>With normalization on (the default):
 * <ul>
 *   <li>the query string ({@code ?...}) and fragment ({@code #...}) are dropped;</li>
 *   <li>a full URL ({@code scheme://host[:port]/path}) keeps only its path;</li>
 *   <li>repeated slashes collapse, a trailing slash is removed, a missing leading slash is added, and an empty path
 *       is {@code "/"};</li>
 *   <li>a path segment is replaced by the placeholder when it is an id:
 *     <ul>
 *       <li>all digits ({@code 42});</li>
 *       <li>a UUID ({@code 8-4-4-4-12} hex digits);</li>
 *       <li>hex of at least 8 characters containing at least one digit ({@code 5f2b9c0e}, a 40-char git sha);
 *           {@code deadbeef} or {@code facade} stay, as they read as words;</li>
 *       <li>an opaque token: at least 20 characters of {@code [A-Za-z0-9_-]} with at least one digit (API keys,
 *           base64url ids, long slugs ending in a number).</li>
 *     </ul></li>
 *   <li>segments already in template form ({@code {id}}, {@code :id}) are kept as they are, so routes that arrive
 *       as templates (OpenTelemetry's {@code http.route}) pass through unchanged.</li>
 * </ul>
 * Segments with other characters ({@code report.pdf}, {@code john%40example.com}) are kept.
 *
 * <p>With normalization off, only the query string and fragment are dropped (an empty result is {@code "/"}).
 *
 * <p>Configuration keys:
 * <ul>
 *   <li>{@code ingest.route.placeholder}: what an id segment becomes; default {@code {id}}.</li>
 *   <li>{@code ingest.route.normalize}: {@code true} (default) or {@code false}.</li>
 * </ul>
 *
 * <p>Plain character scans, no regular expressions. The same route is returned as the same instance while it stays in a
 * bounded table of recent routes (an already clean route the first time: the input itself), so a route costs no new
 * String and the counting maps compare it by identity. Thread-safe.
 */
public final class RouteNormalizer {

    public static final String PLACEHOLDER_KEY = "ingest.route.placeholder";
    public static final String NORMALIZE_KEY = "ingest.route.normalize";
    public static final String DEFAULT_PLACEHOLDER = "{id}";

    /** Routes made so far, by their content's hash: bounded (a scanner's random paths replace each other's entries,
     * never grow it); shared by threads without locks, as a slot holds an immutable String (a lost write is a miss). */
    private static final int ROUTE_SLOTS = 4096;
    private final String[] routes = new String[ROUTE_SLOTS];
    private final String placeholder;
    /** 31 to the placeholder's length: appends its hash to a running String hash */
    private final int placeholderPower;
    private final boolean normalize;

    public RouteNormalizer() {
        this(DEFAULT_PLACEHOLDER, true);
    }

    public RouteNormalizer(String placeholder, boolean normalize) {
        if (placeholder == null || placeholder.isEmpty() || placeholder.indexOf('/') >= 0) {
            throw new IllegalArgumentException(PLACEHOLDER_KEY + ": '" + placeholder
                    + "' must be non-empty and contain no '/'");
        }
        this.placeholder = placeholder;
        int power = 1;
        for (int i = 0; i < placeholder.length(); i++) power *= 31;
        this.placeholderPower = power;
        this.normalize = normalize;
    }

    /** From the {@code ingest.route.*} keys of {@code props}; other keys are ignored. */
    public static RouteNormalizer fromProperties(Map<String, ?> props) {
        Object ph = props.get(PLACEHOLDER_KEY);
        Object norm = props.get(NORMALIZE_KEY);
        boolean normalize = true;
        if (norm != null) {
            String v = norm.toString().trim();
            if (v.equalsIgnoreCase("true")) normalize = true;
            else if (v.equalsIgnoreCase("false")) normalize = false;
            else throw new IllegalArgumentException(NORMALIZE_KEY + ": '" + v + "' is not true or false");
        }
        return new RouteNormalizer(ph == null ? DEFAULT_PLACEHOLDER : ph.toString().trim(), normalize);
    }

    public String placeholder() {
        return placeholder;
    }

    public boolean normalizes() {
        return normalize;
    }

    /** The route for {@code raw} (null or empty gives {@code "/"}). */
    public String normalize(String raw) {
        if (raw == null || raw.isEmpty()) return "/";
        int end = raw.length();
        for (int i = 0; i < end; i++) {
            char c = raw.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        if (!normalize) {
            return end == 0 ? "/" : end == raw.length() ? raw : raw.substring(0, end);
        }
        int start = pathStartOfUrl(raw, end);
        // one pass for the route's hash and length and which segments are ids, then the route already made for that
        // content if the table has it: no String, and the counting maps downstream hit on identity
        int hash = 0, length = 0, segments = 0;
        long ids = 0;
        boolean clean = start < end && raw.charAt(start) == '/' && (end - start == 1 || raw.charAt(end - 1) != '/');
        for (int i = start; i < end; ) {
            if (raw.charAt(i) == '/') {
                if (i > start && raw.charAt(i - 1) == '/') clean = false;
                i++;
                continue;
            }
            int segEnd = i;
            while (segEnd < end && raw.charAt(segEnd) != '/') segEnd++;
            hash = 31 * hash + '/';
            long scanned = scanSegment(raw, i, segEnd, hash);
            if ((scanned & ID) != 0) {
                if (segments < 64) ids |= 1L << segments;
                clean = false;
                hash = hash * placeholderPower + placeholder.hashCode();
                length += 1 + placeholder.length();
            } else {
                hash = (int) scanned;
                length += 1 + segEnd - i;
            }
            segments++;
            i = segEnd;
        }
        if (segments == 0) return clean && start == 0 && end == raw.length() ? raw : "/";
        if (segments > 64) return build(raw, start, end, -1L); // ids beyond the mask: no table
        int slot = (hash ^ (hash >>> 16)) & (ROUTE_SLOTS - 1);
        String known = routes[slot];
        if (known != null && known.hashCode() == hash && known.length() == length && sameRoute(known, raw, start, end, ids)) {
            return known;
        }
        String route = clean && start == 0 && end == raw.length() ? raw : clean ? raw.substring(start, end) : build(raw, start, end, ids);
        routes[slot] = route;
        return route;
    }

    /** The route from its segments, {@code ids} marking the id segments ({@code -1}: find out per segment). */
    private String build(String raw, int start, int end, long ids) {
        StringBuilder sb = new StringBuilder(end - start + 8);
        walk(raw, start, end, ids, sb, null);
        return sb.toString();
    }

    /** Whether {@code route} is what {@link #build} would make of {@code raw}'s segments. */
    private boolean sameRoute(String route, String raw, int start, int end, long ids) {
        return walk(raw, start, end, ids, null, route);
    }

    /** Appends the route of {@code raw[start, end)}'s segments to {@code into}, or (when null) checks that
     * {@code route} is that route. */
    private boolean walk(String raw, int start, int end, long ids, StringBuilder into, String route) {
        int at = 0, segment = 0;
        for (int i = start; i < end; ) {
            if (raw.charAt(i) == '/') {
                i++;
                continue;
            }
            int segEnd = i;
            while (segEnd < end && raw.charAt(segEnd) != '/') segEnd++;
            boolean id = ids == -1L ? isId(raw, i, segEnd) : (ids & (1L << segment)) != 0;
            if (into != null) {
                into.append('/');
                if (id) into.append(placeholder);
                else into.append(raw, i, segEnd);
            } else {
                if (at >= route.length() || route.charAt(at++) != '/') return false;
                if (id ? !route.startsWith(placeholder, at) : !route.regionMatches(at, raw, i, segEnd - i)) return false;
                at += id ? placeholder.length() : segEnd - i;
            }
            segment++;
            i = segEnd;
        }
        return into != null || at == route.length();
    }

    /** For {@code scheme://authority/path}, the index of the path (or {@code end} when there is none); else 0. */
    private static int pathStartOfUrl(String s, int end) {
        int i = 0;
        while (i < end) {
            char c = s.charAt(i);
            boolean schemeChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
            if (!schemeChar) break;
            i++;
        }
        if (i == 0 || !s.startsWith("://", i) || i + 3 > end) return 0;
        int slash = s.indexOf('/', i + 3);
        return slash < 0 || slash > end ? end : slash;
    }

    /** Whether {@code s[from, to)} is an id segment (see the class documentation). */
    static boolean isId(String s, int from, int to) {
        return (scanSegment(s, from, to, 0) & ID) != 0;
    }

    private static final long ID = 1L << 32;

    /**
     * One pass over a segment: {@code hash} continued over its characters (as {@link String#hashCode} would) in the
     * low 32 bits, and {@link #ID} set when it is an id segment (see the class documentation).
     */
    private static long scanSegment(String s, int from, int to, int hash) {
        int len = to - from;
        boolean allDigits = true, allHex = true, allToken = true, hasDigit = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            hash = 31 * hash + c;
            boolean digit = c >= '0' && c <= '9';
            boolean hexLetter = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            hasDigit |= digit;
            allDigits &= digit;
            allHex &= digit || hexLetter;
            allToken &= digit || letter || c == '_' || c == '-'; // every id form is within [A-Za-z0-9_-]
        }
        long h = hash & 0xFFFF_FFFFL;
        // '{' and ':' (template segments) are not token characters, so a template is never an id
        if (len == 0 || !allToken) return h;
        boolean id = allDigits || allHex && hasDigit && len >= 8 || len == 36 && isUuid(s, from) || hasDigit && len >= 20;
        return id ? h | ID : h;
    }

    private static boolean isUuid(String s, int from) {
        for (int k = 0; k < 36; k++) {
            char c = s.charAt(from + k);
            if (k == 8 || k == 13 || k == 18 || k == 23) {
                if (c != '-') return false;
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }
}
