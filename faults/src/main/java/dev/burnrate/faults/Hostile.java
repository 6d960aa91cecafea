package dev.burnrate.faults;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hostile input, one kind after another: random bytes, truncated and deeply nested JSON, huge numbers, invalid UTF-8,
 * control characters and NULs in service and route names, oversized values, Avro with a wrong schema id, missing
 * fields, a status out of range. Every one must go to the dead-letter topic with a reason; none may count.
 */
final class Hostile {
    static final int MAX_RECORD_BYTES = 65_536; // the processor's default ingest.max.record.bytes

    private Hostile() {
    }

    static List<byte[]> records(int n, long seed) {
        Random rnd = new Random(seed);
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(one(i % KINDS, rnd));
        return out;
    }

    static final int KINDS = 12;

    static byte[] one(int kind, Random rnd) {
        String good = "{\"timestamp\":1700000000000,\"service\":\"checkout\",\"route\":\"/api/pay\",\"method\":\"GET\",\"status\":200}";
        return switch (kind) {
            case 0 -> { // random bytes, never starting like JSON, Avro framing or an OTLP batch
                byte[] b = new byte[1 + rnd.nextInt(300)];
                rnd.nextBytes(b);
                b[0] = (byte) (0x80 | rnd.nextInt(0x7f));
                yield b;
            }
            case 1 -> utf8(good.substring(0, 1 + rnd.nextInt(good.length() - 2))); // truncated JSON
            case 2 -> { // nested 5,000 deep (Jackson's limit is 1,000)
                StringBuilder s = new StringBuilder();
                int depth = 5_000;
                s.append("{\"service\":\"checkout\",\"status\":200,\"x\":");
                s.append("{\"a\":".repeat(depth)).append('1').append("}".repeat(depth)).append('}');
                yield utf8(s.toString());
            }
            case 3 -> utf8("{\"timestamp\":1e999999,\"service\":\"checkout\",\"route\":\"/\",\"status\":" + "9".repeat(400) + "}");
            case 4 -> { // invalid UTF-8 inside the service name
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                b.writeBytes(utf8("{\"service\":\"check"));
                b.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE});
                b.writeBytes(utf8("out\",\"route\":\"/\",\"status\":500}"));
                yield b.toByteArray();
            }
            case 5 -> utf8("{\"service\":\"check\\u0000out\",\"route\":\"/api/pay\",\"status\":500}"); // NUL (escaped)
            case 6 -> utf8("{\"service\":\"checkout\",\"route\":\"/api/\\u001b[31mpay\\nx\",\"status\":500}"); // ESC, newline
            case 7 -> { // a raw control byte in the name (JSON forbids it unescaped)
                byte[] b = utf8("{\"service\":\"auth#\",\"route\":\"/\",\"status\":503}");
                b[16] = 0x07;
                yield b;
            }
            case 8 -> { // oversized: a valid record padded past the limit
                String pad = "x".repeat(MAX_RECORD_BYTES);
                yield utf8("{\"service\":\"checkout\",\"route\":\"/\",\"status\":503,\"pad\":\"" + pad + "\"}");
            }
            case 9 -> { // Confluent-framed Avro with a schema id nobody registered
                ByteBuffer b = ByteBuffer.allocate(5 + 20);
                b.put((byte) 0).putInt(100_000 + rnd.nextInt(1_000_000));
                byte[] rest = new byte[20];
                rnd.nextBytes(rest);
                b.put(rest);
                yield b.array();
            }
            case 10 -> utf8("{\"route\":\"/api/pay\",\"status\":503}"); // no service
            default -> utf8("{\"service\":\"checkout\",\"route\":\"/api/pay\",\"status\":" + (600 + rnd.nextInt(1000)) + "}");
        };
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
