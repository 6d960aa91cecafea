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
 * <p>Plain character scans, no regular expressions; an already clean route is returned as the same instance.
 * Immutable and thread-safe.
 */
public final class RouteNormalizer {

    public static final String PLACEHOLDER_KEY = "ingest.route.placeholder";
    public static final String NORMALIZE_KEY = "ingest.route.normalize";
    public static final String DEFAULT_PLACEHOLDER = "{id}";

    private final String placeholder;
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
        if (isClean(raw, start, end)) {
            return start == 0 && end == raw.length() ? raw : raw.substring(start, end);
        }
        StringBuilder sb = new StringBuilder(end - start + 8);
        int i = start;
        while (i < end) {
            if (raw.charAt(i) == '/') {
                i++;
                continue;
            }
            int segEnd = i;
            while (segEnd < end && raw.charAt(segEnd) != '/') segEnd++;
            sb.append('/');
            if (isId(raw, i, segEnd)) sb.append(placeholder);
            else sb.append(raw, i, segEnd);
            i = segEnd;
        }
        return sb.length() == 0 ? "/" : sb.toString();
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

    /** Starts with '/', no empty segment, no trailing slash (except "/"), no id segment. */
    private static boolean isClean(String s, int start, int end) {
        if (start == end || s.charAt(start) != '/') return false;
        if (end - start == 1) return true;
        if (s.charAt(end - 1) == '/') return false;
        int i = start + 1;
        while (i < end) {
            int segEnd = i;
            while (segEnd < end && s.charAt(segEnd) != '/') segEnd++;
            if (segEnd == i || isId(s, i, segEnd)) return false;
            i = segEnd + 1;
        }
        return true;
    }

    /** Whether {@code s[from, to)} is an id segment (see the class documentation). */
    static boolean isId(String s, int from, int to) {
        int len = to - from;
        if (len == 0) return false;
        char first = s.charAt(from);
        if (first == '{' || first == ':') return false;
        boolean allDigits = true, allHex = true, allToken = true, hasDigit = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            boolean hexLetter = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            hasDigit |= digit;
            allDigits &= digit;
            allHex &= digit || hexLetter;
            allToken &= digit || letter || c == '_' || c == '-';
            if (!allToken) return false; // every id form is within [A-Za-z0-9_-]
        }
        if (allDigits) return true;
        if (allHex && hasDigit && len >= 8) return true;
        if (len == 36 && isUuid(s, from)) return true;
        return hasDigit && len >= 20;
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
