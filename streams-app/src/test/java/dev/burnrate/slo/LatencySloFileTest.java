package dev.burnrate.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The SLO file's {@code latency:} key: what it means, and each mistake named by file, line and key. */
class LatencySloFileTest {
    private static final Path FILE = Path.of("config/slos.yaml");

    private static SloConfig parse(String yaml) {
        return SloFileLoader.parse(FILE, yaml);
    }

    private static void assertError(String yaml, int line, String key, String fragment) {
        SloConfigException e = assertThrows(SloConfigException.class, () -> parse(yaml));
        String prefix = FILE + ":" + line + ": " + key + ": ";
        assertTrue(e.getMessage().startsWith(prefix), () -> "expected prefix '" + prefix + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> "expected '" + fragment + "' in: " + e.getMessage());
    }

    @Test
    void latencyAloneAndLatencyWithErrors() {
        SloConfig c = parse("""
                slos:
                  - name: infer-latency
                    objective: 99.5
                    latency: {threshold: 300ms}
                  - name: infer-good
                    objective: 99
                    latency:
                      threshold: 1s500ms
                    errors: [5xx, 429]
                  - name: availability
                    objective: 99.9
                """);
        Slo latencyOnly = c.slo("infer-latency");
        assertEquals(new LatencySli(Duration.ofMillis(300), null), latencyOnly.latency());
        assertEquals(List.of(">300ms"), latencyOnly.badDefinition());
        Slo combined = c.slo("infer-good");
        assertEquals(Duration.ofMillis(1500), combined.latency().threshold());
        assertEquals(Set.of(5), combined.latency().errors().families());
        assertEquals(Set.of(429), combined.latency().errors().codes());
        assertEquals(List.of(">1s500ms", "5xx", "429"), combined.badDefinition());
        assertNull(c.slo("availability").latency());
        assertEquals(List.of("5xx"), c.slo("availability").badDefinition());
        // the state id follows the definition: same SLI, same id; another threshold or error set, another id
        assertEquals(latencyOnly.latency().id(), new LatencySli(Duration.ofMillis(300), null).id());
        assertNotEquals(latencyOnly.latency().id(), new LatencySli(Duration.ofMillis(301), null).id());
        assertNotEquals(latencyOnly.latency().id(), new LatencySli(Duration.ofMillis(300), ErrorDefinition.DEFAULT).id());
    }

    @Test
    void theExampleFileHasTheSeedsLatencySlos() {
        SloConfig c = SloFileLoader.load(SloFileLoaderTest.exampleFile());
        assertEquals(List.of(">300ms", "5xx"), c.slo("inference-latency").badDefinition());
        assertEquals(new LatencySli(Duration.ofMillis(250), null), c.slo("jobs-submit-latency").latency());
        assertTrue(c.slo("jobs-poll-latency").matches("jobs", "/jobs/{id}"));
        assertEquals(new LatencySli(Duration.ofMillis(100), null), c.slo("jobs-poll-latency").latency());
    }

    @Test
    void mistakesNameFileLineAndKey() {
        assertError("""
                slos:
                  - name: a
                    objective: 99
                    latency: 300ms
                """, 4, "slos[0].latency", "expected a mapping");
        assertError("""
                slos:
                  - name: a
                    objective: 99
                    latency: {}
                """, 4, "slos[0].latency.threshold", "required key is missing");
        assertError("""
                slos:
                  - name: a
                    objective: 99
                    latency:
                      threshold: 300
                """, 5, "slos[0].latency.threshold", "missing unit");
        assertError("""
                slos:
                  - name: a
                    objective: 99
                    latency: {threshold: 0ms}
                """, 4, "slos[0].latency.threshold", "must be > 0");
        assertError("""
                slos:
                  - name: a
                    objective: 99
                    latency:
                      treshold: 300ms
                """, 5, "slos[0].latency.treshold", "did you mean 'threshold'");
        assertError("""
                slos:
                  - name: a
                    objective: 99
                    latency: {threshold: 0.3s}
                """, 4, "slos[0].latency.threshold", "e.g. 300ms, 1s or 1s500ms");
    }
}
