package dev.burnrate;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages follow an event's path and import only downwards: the build fails on a cycle between packages or an
 * import against this direction. The table below is the one in the README's "How it works" (checked too).
 */
class ArchitectureTest {
    /** Each package of streams-app and the packages it may import, lowest first. */
    static final Map<String, List<String>> LAYERS = new LinkedHashMap<>();

    static {
        LAYERS.put("core", List.of());
        LAYERS.put("serde", List.of("core"));
        LAYERS.put("state", List.of("core"));
        LAYERS.put("metrics", List.of("core"));
        LAYERS.put("ingest", List.of("core", "serde", "state", "metrics"));
        LAYERS.put("windows", List.of("core", "state", "metrics"));
        LAYERS.put("slo", List.of("core"));
        LAYERS.put("alerts", List.of("core", "metrics", "windows", "slo"));
        LAYERS.put("query", List.of("core", "windows", "slo", "alerts"));
        LAYERS.put("demo", List.of());
        LAYERS.put("app", List.of("core", "serde", "state", "metrics", "ingest", "windows", "slo", "alerts", "query", "demo"));
        LAYERS.put("backtest", List.of("core", "serde", "state", "metrics", "ingest", "windows", "slo", "alerts", "app"));
    }

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        // streams-app's own classes (the build's output, not the classpath: the schema and broker modules are not ours to order)
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(Path.of("target/classes"));
    }

    @Test
    void noCycleBetweenPackages() {
        slices().matching("dev.burnrate.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void eachPackageImportsOnlyThePackagesBelowIt() {
        Architectures.LayeredArchitecture layers = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String p : LAYERS.keySet()) layers = layers.layer(p).definedBy("dev.burnrate." + p + "..");
        for (Map.Entry<String, List<String>> e : LAYERS.entrySet()) {
            layers = e.getValue().isEmpty() ? layers.whereLayer(e.getKey()).mayNotAccessAnyLayer()
                    : layers.whereLayer(e.getKey()).mayOnlyAccessLayers(e.getValue().toArray(String[]::new));
        }
        layers.check(classes);
    }

    @Test
    void everyPackageIsInTheTable() throws IOException {
        List<String> found = new ArrayList<>();
        try (var dirs = Files.list(Path.of("src/main/java/dev/burnrate"))) {
            dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().forEach(found::add);
        }
        assertEquals(LAYERS.keySet().stream().sorted().toList(), found, "a new package needs its place in LAYERS and the README");
    }

    /** The README's package list: lines "- `name` (may import `a`, `b`): what it holds", in this table's order. */
    @Test
    void theReadmeListsTheSameDirection() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        Pattern line = Pattern.compile("(?m)^- `(\\w+)` \\((?:may import ([^)]*)|imports nothing of ours)\\):");
        Map<String, List<String>> documented = new LinkedHashMap<>();
        Matcher m = line.matcher(readme);
        while (m.find()) {
            List<String> deps = new ArrayList<>();
            if (m.group(2) != null) {
                Matcher d = Pattern.compile("`(\\w+)`").matcher(m.group(2));
                while (d.find()) deps.add(d.group(1));
            }
            documented.put(m.group(1), deps);
        }
        assertEquals(LAYERS, documented);
    }
}
