package dev.burnrate.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.app.DockerFilesTest;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's shipper recipes: every sample record shown under a recipe is decoded by the processor's decoder into
 * the event its {@code <!-- recipe-check: ... -->} comment states, so the documented outputs are the ones we read.
 */
class ShipperRecipesReadmeTest {
    private static final Pattern CHECK = Pattern.compile("<!-- recipe-check: (.*?) -->\\n```json\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void everyRecipesSampleRecordDecodesToTheStatedEvent() throws Exception {
        String readme = Files.readString(DockerFilesTest.repoRoot().resolve("README.md"));
        int start = readme.indexOf("\n## Shipper recipes\n");
        assertTrue(start >= 0, "README has a Shipper recipes section");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        for (String shipper : new String[] {"**Filebeat**", "**Fluent Bit**", "**Vector**", "**OpenTelemetry Collector**"}) {
            assertTrue(section.contains(shipper), "a recipe for " + shipper);
        }
        Matcher m = CHECK.matcher(section);
        int checked = 0;
        while (m.find()) {
            Map<String, String> want = new HashMap<>();
            for (String kv : m.group(1).trim().split(" ")) {
                String[] p = kv.split("=", 2);
                want.put(p[0], p[1]);
            }
            AccessEvent e = ShipperFormatsTest.event(m.group(2));
            String sample = m.group(2).substring(0, 60);
            assertEquals(want.get("service"), e.service(), sample);
            assertEquals(want.get("route"), e.route(), sample);
            assertEquals(want.get("method"), e.method(), sample);
            assertEquals(Integer.parseInt(want.get("status")), e.status(), sample);
            assertEquals(Instant.parse(want.get("time")).toEpochMilli(), e.timestampMs(), sample);
            checked++;
        }
        assertEquals(6, checked, "samples checked");
    }
}
