package dev.burnrate.slo;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.error.Mark;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML (Jackson's YAML module, SnakeYAML underneath) into a small tree whose every node remembers the line
 * it starts on, so that validation errors can name a line. Jackson's own {@code JsonNode} drops locations; here we
 * walk the token stream once and record {@link JsonParser#currentTokenLocation()} for each value and key.
 */
final class LocatedYaml {
    private LocatedYaml() {
    }

    sealed interface Node permits MapNode, ListNode, ScalarNode {
        /** 1-based line where the value starts. */
        int line();

        String kind();
    }

    record Entry(String key, int keyLine, Node value) {
    }

    record MapNode(int line, Map<String, Entry> entries) implements Node {
        @Override
        public String kind() {
            return "a mapping";
        }

        Entry entry(String key) {
            return entries.get(key);
        }
    }

    record ListNode(int line, List<Node> items) implements Node {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /**
     * @param value String, Boolean, Integer/Long/BigInteger, BigDecimal (floats, exact as written), Double (.inf,
     *              .nan) or null
     * @param text  the scalar as written
     */
    record ScalarNode(int line, JsonToken token, String text, Object value) implements Node {
        @Override
        public String kind() {
            return switch (token) {
                case VALUE_NULL -> "nothing (null)";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean (" + text + ")";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number (" + text + ")";
                default -> "a string ('" + text + "')";
            };
        }

        boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }

        boolean isNumber() {
            return value instanceof Number;
        }
    }

    private static final YAMLFactory FACTORY = new YAMLFactory();

    /** @return the root node, or null for an empty document */
    static Node parse(Path file, String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            Reader r = new Reader(file, p);
            JsonToken t = r.next("");
            if (t == null) return null;
            Node root = r.value("");
            JsonToken extra = r.next("");
            if (extra != null) {
                throw new SloConfigException(file, line(p.currentTokenLocation()), null,
                        "more than one YAML document; put every SLO under the one 'slos:' list");
            }
            return root;
        } catch (JsonProcessingException e) {
            // thrown outside Reader.next (e.g. a malformed number); next() converts the rest itself
            throw syntaxError(file, null, e);
        } catch (IOException e) {
            throw new SloConfigException(file, 0, null, "cannot read: " + e.getMessage());
        }
    }

    private static int line(JsonLocation loc) {
        return loc == null ? 0 : Math.max(loc.getLineNr(), 0);
    }

    private static final class Reader {
        private final Path file;
        private final JsonParser p;
        /** The path of the last value started: where a syntax error is reported to be "near". */
        private String lastPath = "";

        Reader(Path file, JsonParser p) {
            this.file = file;
            this.p = p;
        }

        /** Advances; syntax errors become SloConfigExceptions naming the parser's line and the path being read. */
        JsonToken next(String path) throws IOException {
            try {
                return p.nextToken();
            } catch (JsonProcessingException e) {
                throw syntaxError(file, lastPath, e);
            }
        }

        /** Reads the value whose first token is current. */
        Node value(String path) throws IOException {
            JsonToken t = p.currentToken();
            int line = line(p.currentTokenLocation());
            if (!path.isEmpty()) lastPath = path;
            switch (t) {
                case START_OBJECT: {
                    Map<String, Entry> entries = new LinkedHashMap<>();
                    while (next(path) == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        int keyLine = line(p.currentTokenLocation());
                        String childPath = path.isEmpty() ? key : path + "." + key;
                        next(childPath);
                        Node v = value(childPath);
                        Entry previous = entries.put(key, new Entry(key, keyLine, v));
                        if (previous != null) {
                            throw new SloConfigException(file, keyLine, childPath,
                                    "duplicate key (first given at line " + previous.keyLine() + ")");
                        }
                    }
                    return new MapNode(line, Collections.unmodifiableMap(entries));
                }
                case START_ARRAY: {
                    List<Node> items = new ArrayList<>();
                    while (next(path + "[" + items.size() + "]") != JsonToken.END_ARRAY) {
                        items.add(value(path + "[" + items.size() + "]"));
                    }
                    return new ListNode(line, List.copyOf(items));
                }
                case VALUE_NULL:
                    return new ScalarNode(line, t, "", null);
                case VALUE_TRUE:
                case VALUE_FALSE:
                    return new ScalarNode(line, t, p.getText(), t == JsonToken.VALUE_TRUE);
                case VALUE_NUMBER_INT:
                    return new ScalarNode(line, t, p.getText(), p.getNumberValue());
                case VALUE_NUMBER_FLOAT: {
                    String text = p.getText();
                    Object v;
                    try {
                        v = new BigDecimal(text.replace("_", ""));
                    } catch (NumberFormatException e) {
                        // .inf, .nan: no config value wants them; keep the text so validation names it
                        return new ScalarNode(line, JsonToken.VALUE_STRING, text, text);
                    }
                    return new ScalarNode(line, t, text, v);
                }
                case VALUE_STRING:
                    return new ScalarNode(line, t, p.getText(), p.getText());
                default:
                    // embedded objects (binary tags) and anything exotic
                    return new ScalarNode(line, JsonToken.VALUE_STRING, p.getText(), p.getText());
            }
        }
    }

    /**
     * A syntax error, located by SnakeYAML's problem mark (where the parser gave up) when there is one; Jackson's own
     * location is the parser's last token, often a line earlier.
     */
    private static SloConfigException syntaxError(Path file, String nearPath, JsonProcessingException e) {
        String key = nearPath == null || nearPath.isEmpty() ? null : nearPath;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
                Mark pm = m.getProblemMark();
                StringBuilder detail = new StringBuilder("YAML syntax error at column ").append(pm.getColumn() + 1)
                        .append(": ").append(oneLine(m.getProblem()));
                if (m.getContext() != null) {
                    detail.append(" (").append(oneLine(m.getContext()));
                    Mark cm = m.getContextMark();
                    if (cm != null) detail.append(" started at line ").append(cm.getLine() + 1).append(", column ").append(cm.getColumn() + 1);
                    detail.append(')');
                }
                return new SloConfigException(file, pm.getLine() + 1, key, detail.toString());
            }
        }
        return new SloConfigException(file, line(e.getLocation()), key, "YAML syntax error: " + oneLine(e.getOriginalMessage()));
    }

    private static String oneLine(String s) {
        if (s == null) return "unparseable";
        return s.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
