package dev.burnrate.backtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * JSON lines from a file ("-" = standard input), gzip-compressed or not: gzip is recognized by its magic bytes
 * (1f 8b) or a .gz name. One record per line; the position of a record is its 1-based line number. Lines holding
 * only whitespace are skipped (and counted); every other line goes to the processor as it is, so a line that is
 * not an access-log record takes the processor's own dead-letter path.
 */
final class FileSource implements InputSource {
    private static final int BUFFER = 1 << 16;

    private final String name;
    private final InputStream in;
    private byte[] buf = new byte[BUFFER];
    private int start;
    private int end;
    private boolean eof;
    private long line;
    private long blankLines;

    private FileSource(String name, InputStream in) {
        this.name = name;
        this.in = in;
    }

    /** @throws NoSuchFileException when the file does not exist */
    static FileSource open(String file) throws IOException {
        if (file.equals("-")) return new FileSource("standard input", maybeGunzip(new BufferedInputStream(System.in, BUFFER), false));
        Path p = Path.of(file);
        if (!Files.exists(p)) throw new NoSuchFileException(file, null, "no such file");
        if (!Files.isRegularFile(p)) throw new NoSuchFileException(file, null, "not a regular file");
        InputStream raw = new BufferedInputStream(Files.newInputStream(p), BUFFER);
        try {
            return new FileSource(file, maybeGunzip(raw, file.endsWith(".gz")));
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    private static InputStream maybeGunzip(InputStream raw, boolean gzName) throws IOException {
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        boolean magic = b0 == 0x1f && b1 == 0x8b;
        return magic || gzName ? new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER) : raw;
    }

    @Override
    public boolean next(Cursor into) throws IOException {
        while (true) {
            int nl = -1;
            for (int i = start; i < end; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            if (nl < 0 && !eof) {
                fill();
                continue;
            }
            if (nl < 0 && start == end) return false; // eof, nothing left
            int lineEnd = nl < 0 ? end : nl;
            int from = start;
            start = nl < 0 ? end : nl + 1;
            line++;
            int to = lineEnd;
            if (to > from && buf[to - 1] == '\r') to--;
            if (blank(from, to)) {
                blankLines++;
                continue;
            }
            into.value = Arrays.copyOfRange(buf, from, to);
            into.timestampMs = NO_TIMESTAMP;
            into.position = line;
            return true;
        }
    }

    private boolean blank(int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\t' && b != '\r') return false;
        }
        return true;
    }

    /** Moves the unread rest to the front (growing the buffer for a very long line) and reads more. */
    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) eof = true;
        else end += n;
    }

    long blankLines() {
        return blankLines;
    }

    /** The last line read (for messages about where the input ended). */
    long linesRead() {
        return line;
    }

    @Override
    public String describe(long position) {
        return "line " + position;
    }

    @Override
    public void describe(long position, ObjectNode into) {
        into.put("line", position);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // read-only
        }
    }
}
