package dev.burnrate.slo;

import java.nio.file.Path;

/**
 * A bad SLO file. The message is meant for the operator at startup and names the file, the line and the key path,
 * e.g. {@code config/slos.yaml:12: slos[0].objective: must be between 0 and 100 (exclusive), got 100.5}.
 * No stack trace: it is a configuration error, not a bug.
 */
public final class SloConfigException extends RuntimeException {
    private final transient Path file;
    private final int line;
    private final String key;
    private final String detail;

    /**
     * @param line 1-based line, or 0 when the problem is the file as a whole
     * @param key  key path such as {@code slos[0].objective}, or null
     */
    public SloConfigException(Path file, int line, String key, String detail) {
        super(format(file, line, key, detail), null, false, false);
        this.file = file;
        this.line = line;
        this.key = key;
        this.detail = detail;
    }

    private static String format(Path file, int line, String key, String detail) {
        StringBuilder b = new StringBuilder(String.valueOf(file));
        if (line > 0) b.append(':').append(line);
        b.append(": ");
        if (key != null && !key.isEmpty()) b.append(key).append(": ");
        return b.append(detail).toString();
    }

    public Path file() {
        return file;
    }

    /** 1-based, 0 if not about one line. */
    public int line() {
        return line;
    }

    /** The key path, e.g. {@code slos[0].rules[1].shortWindow}; null if not about one key. */
    public String key() {
        return key;
    }

    /** The message without file, line and key. */
    public String detail() {
        return detail;
    }
}
