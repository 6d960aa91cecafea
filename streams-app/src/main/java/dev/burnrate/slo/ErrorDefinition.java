package dev.burnrate.slo;

import dev.burnrate.core.Counts;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which HTTP statuses count as errors: status families ({@code "5xx"}, any of 1xx-5xx) and exact codes 400-599
 * (e.g. {@code 429}). Exact codes are limited to 400-599 because {@link Counts} only keeps exact counts for 4xx and
 * 5xx; other statuses are only known by family. A code inside a listed family is not counted twice.
 *
 * @param families status families, each 1..5 ({@code 5} means 5xx)
 * @param codes    exact codes 400..599 whose family is not in {@code families}
 */
public record ErrorDefinition(Set<Integer> families, Set<Integer> codes) {
    /** The default: every 5xx response is an error, 4xx are not (client errors do not burn the budget). */
    public static final ErrorDefinition DEFAULT = new ErrorDefinition(Set.of(5), Set.of());

    private static final Pattern FAMILY = Pattern.compile("([1-5])[xX][xX]");
    private static final Pattern CODE = Pattern.compile("\\d{3}");

    public ErrorDefinition {
        if (families.isEmpty() && codes.isEmpty()) throw new IllegalArgumentException("no status counts as an error");
        for (int f : families) if (f < 1 || f > 5) throw new IllegalArgumentException("bad status family " + f + "xx");
        for (int c : codes) if (c < 400 || c > 599) throw new IllegalArgumentException(codeRangeMessage(String.valueOf(c)));
        Set<Integer> fams = Set.copyOf(families);
        TreeSet<Integer> ownCodes = new TreeSet<>(codes);
        ownCodes.removeIf(c -> fams.contains(c / 100));
        families = fams;
        codes = Set.copyOf(ownCodes);
    }

    /** Parses a list such as {@code ["5xx", 429]}; elements are family strings, integers or numeric strings. */
    public static ErrorDefinition parse(List<?> items) {
        if (items.isEmpty()) throw new IllegalArgumentException("must list at least one status family or code");
        Set<Integer> families = new TreeSet<>();
        Set<Integer> codes = new TreeSet<>();
        for (Object item : items) {
            int parsed = parseItem(item);
            (parsed <= 5 ? families : codes).add(parsed);
        }
        return new ErrorDefinition(families, codes);
    }

    /**
     * Validates one list element.
     *
     * @return the family 1..5 for {@code "Nxx"}, else the exact code 400..599
     * @throws IllegalArgumentException naming the element and what is accepted
     */
    public static int parseItem(Object item) {
        String s = String.valueOf(item).strip();
        if (item instanceof Number n && !(item instanceof Integer || item instanceof Long || item instanceof Short)) {
            throw new IllegalArgumentException("'" + s + "' is not a status code; expected a family like \"5xx\" or a code 400-599");
        }
        if (FAMILY.matcher(s).matches()) return s.charAt(0) - '0';
        if (CODE.matcher(s).matches()) {
            int code = Integer.parseInt(s);
            if (code < 400 || code > 599) throw new IllegalArgumentException(codeRangeMessage(s));
            return code;
        }
        if (s.matches("\\d{3}\\s*-\\s*\\d{3}")) {
            throw new IllegalArgumentException("ranges like '" + s + "' are not supported; list the codes one by one or use a family like \"5xx\"");
        }
        throw new IllegalArgumentException("'" + s + "' is not a status family or code; expected e.g. \"5xx\" or 429");
    }

    private static String codeRangeMessage(String code) {
        return "exact code " + code + " is not supported: only codes 400-599 are counted individually; use a family like \""
                + code.charAt(0) + "xx\" instead";
    }

    public static ErrorDefinition of(Object... items) {
        return parse(List.of(items));
    }

    public boolean isError(int status) {
        return families.contains(status / 100) || codes.contains(status);
    }

    public long errors(Counts c) {
        long n = 0;
        for (int f : families) n += c.family(f);
        for (int code : codes) n += c.code(code);
        return n;
    }

    /** The list form used in the config file, e.g. {@code [5xx, 429]}. */
    public List<String> toList() {
        List<String> out = new ArrayList<>();
        new TreeSet<>(families).forEach(f -> out.add(f + "xx"));
        new TreeSet<>(codes).forEach(c -> out.add(String.valueOf(c)));
        return out;
    }

    @Override
    public String toString() {
        return String.join(",", toList());
    }
}
