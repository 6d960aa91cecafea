package dev.burnrate.slo;

/**
 * A service or route glob: {@code *} matches any run of characters (including {@code /}, so {@code /api/*} covers
 * {@code /api/v1/orders}), {@code ?} exactly one character; everything else is literal. Character classes and
 * braces are rejected rather than silently taken literally.
 */
public record Glob(String pattern) {
    public Glob {
        if (pattern == null || pattern.isEmpty()) throw new IllegalArgumentException("empty glob");
        for (char c : new char[] {'[', ']', '{', '}'}) {
            if (pattern.indexOf(c) >= 0) {
                throw new IllegalArgumentException("bad glob '" + pattern + "': only the wildcards * and ? are supported, not '" + c + "'");
            }
        }
    }

    public boolean matches(String value) {
        return match(pattern, 0, value == null ? "" : value, 0);
    }

    // Iterative wildcard matching with single-star backtracking: linear in practice, no regex compilation or cache.
    private static boolean match(String p, int pi, String s, int si) {
        int starP = -1, starS = 0;
        while (si < s.length()) {
            if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == s.charAt(si))) {
                pi++;
                si++;
            } else if (pi < p.length() && p.charAt(pi) == '*') {
                starP = pi++;
                starS = si;
            } else if (starP >= 0) {
                pi = starP + 1;
                si = ++starS;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') pi++;
        return pi == p.length();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
