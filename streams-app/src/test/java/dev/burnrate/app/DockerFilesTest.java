package dev.burnrate.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Static checks of docker/Dockerfile, docker/docker-compose.yml and docker/README.md (there is no Docker engine in
 * the build): every BURNRATE_* variable is one the app actually reads, the entry point class exists, the files the
 * image copies from the repository exist, and the compose file wires the processor to its broker and volume.
 */
public class DockerFilesTest {
    private static final Pattern ENV_TOKEN = Pattern.compile("BURNRATE_[A-Z0-9_]+");
    private static final String DOCKERFILE = "docker/Dockerfile";

    private static Path root;
    private static List<Instruction> dockerfile;
    private static JsonNode compose;

    public record Instruction(int line, String op, String args) {
    }

    @BeforeAll
    static void load() throws IOException {
        root = repoRoot();
        dockerfile = parseDockerfile(root.resolve(DOCKERFILE));
        compose = new YAMLMapper().readTree(root.resolve("docker/docker-compose.yml").toFile());
    }

    // ---- environment variables ----------------------------------------------------------------------------------

    /**
     * Every BURNRATE_* name mentioned anywhere in the docker files (comments and README too) is a real key's name.
     * BURNRATE_NOTIFIER_* names are the notifier's keys: the notifier module's NotifierDockerFilesTest checks them.
     */
    @Test
    void everyMentionedVariableNamesAKnownKey() throws IOException {
        Map<String, String> known = new TreeMap<>();
        for (AppKey k : AppKey.values()) known.put(AppConfig.envName(k.key), k.key);
        Set<String> kafka = new TreeSet<>(StreamsConfig.configDef().names());
        kafka.addAll(ProducerConfig.configNames());
        kafka.addAll(ConsumerConfig.configNames());
        kafka.addAll(AdminClientConfig.configNames());
        for (String k : kafka) known.putIfAbsent(AppConfig.envName(k), k);

        List<String> problems = new ArrayList<>();
        for (String file : List.of(DOCKERFILE, "docker/docker-compose.yml", "docker/README.md")) {
            List<String> lines = Files.readAllLines(root.resolve(file), StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = ENV_TOKEN.matcher(lines.get(i));
                while (m.find()) {
                    if (!known.containsKey(m.group()) && !m.group().startsWith("BURNRATE_NOTIFIER_")) problems.add(file + ":" + (i + 1) + ": " + m.group());
                }
            }
        }
        assertTrue(problems.isEmpty(), "variables that map to no application or Kafka key (ignored at startup): " + problems);
    }

    /**
     * Each BURNRATE_* variable the image or compose file sets is picked up by {@link AppConfig#load} (it ends up in
     * the configuration under the key it names, value valid for that key), and all of them together with the image's
     * config file load without error.
     */
    @Test
    void variablesSetByImageAndComposeAreReadByTheApp() {
        Map<String, String> env = new LinkedHashMap<>(dockerfileEnv());
        env.putAll(processorEnv());
        assertTrue(env.containsKey("BURNRATE_STATE_DIR"), "the image sets the state dir: " + env);
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!e.getKey().startsWith("BURNRATE_")) continue;
            AppConfig cfg = AppConfig.load(null, Map.of(e.getKey(), e.getValue()));
            Map<String, String> all = new LinkedHashMap<>(cfg.appValues());
            all.putAll(cfg.kafka());
            boolean taken = all.entrySet().stream()
                    .anyMatch(c -> AppConfig.envName(c.getKey()).equals(e.getKey()) && c.getValue().equals(e.getValue()));
            assertTrue(taken, e.getKey() + "=" + e.getValue() + " is not read by the app (configuration: " + all + ")");
        }
        AppConfig image = AppConfig.load(root.resolve("config/application.properties"), env);
        assertTrue(image.hasBootstrapServers(), "compose must set BURNRATE_BOOTSTRAP_SERVERS: the image has no embedded broker");
    }

    // ---- Dockerfile ---------------------------------------------------------------------------------------------

    @Test
    void entrypointStartsTheMainClassFromTheCopiedLibFolder() throws Exception {
        List<String> entry = jsonArray(single("ENTRYPOINT"));
        assertEquals("java", entry.get(0), "exec form starting java: " + entry);
        int cp = entry.indexOf("-cp");
        assertTrue(cp > 0 && cp + 1 < entry.size(), "classpath given with -cp: " + entry);
        String classpath = entry.get(cp + 1);
        assertTrue(classpath.endsWith("/*"), "classpath is a jar folder wildcard: " + classpath);
        String libDir = classpath.substring(0, classpath.length() - 1);
        assertTrue(copies().stream().anyMatch(c -> c.from && c.dest.equals(libDir)),
                "the build stage's jars are copied to " + libDir);

        String mainClass = entry.get(entry.size() - 1);
        Class<?> c = Class.forName(mainClass);
        Method main = c.getMethod("main", String[].class);
        assertTrue(Modifier.isStatic(main.getModifiers()) && Modifier.isPublic(main.getModifiers()), mainClass + ".main");
        assertEquals(Main.class, c);
    }

    @Test
    void filesCopiedFromTheRepositoryExist() {
        List<Copy> fromRepo = copies().stream().filter(c -> !c.from).toList();
        assertFalse(fromRepo.isEmpty());
        for (Copy c : fromRepo) {
            for (String src : c.sources) {
                assertTrue(Files.exists(root.resolve(src)), DOCKERFILE + ":" + c.line + ": COPY source " + src + " does not exist");
            }
        }
    }

    /** The config file of CMD and the SLO file of the compose file are files the image contains. */
    @Test
    void configuredPathsAreInTheImage() {
        List<String> cmd = jsonArray(single("CMD"));
        int at = cmd.indexOf("--config");
        assertTrue(at >= 0 && at + 1 < cmd.size(), "CMD passes --config FILE: " + cmd);
        assertCopiedIntoImage(cmd.get(at + 1));
        String slo = processorEnv().get("BURNRATE_SLO_FILE");
        assertNotNull(slo, "compose sets BURNRATE_SLO_FILE");
        assertCopiedIntoImage(slo);
    }

    /** Maven profiles the build stage activates exist in streams-app/pom.xml (else Maven builds the default jar set). */
    @Test
    void mavenProfilesOfTheBuildStageExist() throws IOException {
        String pom = Files.readString(root.resolve("streams-app/pom.xml"));
        List<String> profiles = new ArrayList<>();
        for (Instruction i : dockerfile) {
            if (!i.op.equals("RUN")) continue;
            Matcher m = Pattern.compile("\\s-P([\\w.,-]+)").matcher(i.args);
            while (m.find()) profiles.addAll(List.of(m.group(1).split(",")));
        }
        assertTrue(profiles.contains("no-embedded-broker"), "the build leaves the embedded broker out: " + profiles);
        for (String p : profiles) assertTrue(pom.contains("<id>" + p + "</id>"), "profile " + p + " in streams-app/pom.xml");
    }

    // ---- compose ------------------------------------------------------------------------------------------------

    @Test
    void composeBuildsThisDockerfileAndWaitsForAHealthyBroker() {
        JsonNode processor = processorService();
        JsonNode build = processor.path("build");
        Path context = root.resolve("docker").resolve(build.path("context").asText(".")).normalize();
        assertEquals(root.normalize(), context, "build context is the repository root");
        assertEquals(root.resolve(DOCKERFILE).normalize(), context.resolve(build.path("dockerfile").asText()).normalize());

        String bootstrap = processorEnv().get("BURNRATE_BOOTSTRAP_SERVERS");
        assertNotNull(bootstrap, "BURNRATE_BOOTSTRAP_SERVERS is required by the image");
        for (String server : bootstrap.split(",")) {
            String host = server.trim().substring(0, server.trim().lastIndexOf(':'));
            JsonNode broker = compose.path("services").path(host);
            assertFalse(broker.isMissingNode(), "bootstrap host " + host + " is a compose service");
            assertFalse(broker.path("healthcheck").path("test").isMissingNode(), host + " has a healthcheck");
            assertEquals("service_healthy", processor.path("depends_on").path(host).path("condition").asText(),
                    "the processor starts once " + host + " is healthy");
        }
    }

    @Test
    void stateLivesOnANamedVolumeAtTheImagesVolume() {
        List<String> volumes = jsonArray(single("VOLUME"));
        String stateDir = dockerfileEnv().get("BURNRATE_STATE_DIR");
        assertNotNull(stateDir);
        assertTrue(volumes.stream().anyMatch(v -> stateDir.startsWith(v + "/") || stateDir.equals(v)),
                "state dir " + stateDir + " is on an image VOLUME " + volumes);
        boolean mounted = false;
        for (JsonNode v : processorService().path("volumes")) {
            String[] parts = v.asText().split(":");
            if (parts.length >= 2 && volumes.contains(parts[1])) {
                assertTrue(compose.path("volumes").has(parts[0]), "named volume " + parts[0] + " declared at top level");
                mounted = true;
            }
        }
        assertTrue(mounted, "the processor mounts a named volume at " + volumes);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** The repository root: the first folder above the working directory holding docker/ and pom.xml. */
    public static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docker")) && Files.isRegularFile(p.resolve("pom.xml"))) return p;
        }
        throw new AssertionError("no folder with docker/ and pom.xml above " + Path.of("").toAbsolutePath());
    }

    /** Instructions with comment lines dropped and backslash continuations joined. */
    public static List<Instruction> parseDockerfile(Path file) throws IOException {
        List<Instruction> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.trim().startsWith("#") || (current == null && l.isBlank())) continue;
            boolean continues = l.stripTrailing().endsWith("\\");
            String part = continues ? l.stripTrailing().substring(0, l.stripTrailing().length() - 1) : l;
            if (current == null) {
                current = new StringBuilder();
                start = i + 1;
            }
            current.append(part).append(' ');
            if (!continues) {
                String s = current.toString().trim();
                int sp = s.indexOf(' ');
                out.add(new Instruction(start, (sp < 0 ? s : s.substring(0, sp)).toUpperCase(), sp < 0 ? "" : s.substring(sp + 1).trim()));
                current = null;
            }
        }
        return out;
    }

    private static String single(String op) {
        List<Instruction> found = dockerfile.stream().filter(i -> i.op.equals(op)).toList();
        assertEquals(1, found.size(), "one " + op + " in " + DOCKERFILE);
        return found.get(0).args;
    }

    private static List<String> jsonArray(String args) {
        try {
            List<String> out = new ArrayList<>();
            for (JsonNode n : new ObjectMapper().readTree(args)) out.add(n.asText());
            return out;
        } catch (IOException e) {
            throw new AssertionError("not a JSON array (exec form): " + args, e);
        }
    }

    /** ENV of the last stage (the runtime image), in KEY=value form (values may be double-quoted). */
    private static Map<String, String> dockerfileEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction i : dockerfile) {
            if (i.op.equals("FROM")) env.clear();
            if (!i.op.equals("ENV")) continue;
            Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)").matcher(i.args);
            int found = 0;
            while (m.find()) {
                String v = m.group(2);
                env.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
                found++;
            }
            assertTrue(found > 0, DOCKERFILE + ":" + i.line + ": use ENV KEY=value");
        }
        return env;
    }

    record Copy(int line, boolean from, List<String> sources, String dest) {
    }

    private static List<Copy> copies() {
        List<Copy> out = new ArrayList<>();
        for (Instruction i : dockerfile) {
            if (!i.op.equals("COPY")) continue;
            List<String> words = new ArrayList<>(List.of(i.args.split("\\s+")));
            boolean from = words.stream().anyMatch(w -> w.startsWith("--from="));
            words.removeIf(w -> w.startsWith("--"));
            assertTrue(words.size() >= 2, DOCKERFILE + ":" + i.line + ": COPY SRC... DEST");
            out.add(new Copy(i.line, from, words.subList(0, words.size() - 1), words.get(words.size() - 1)));
        }
        return out;
    }

    /** A path inside the image is the destination of a repository file the Dockerfile copies. */
    private static void assertCopiedIntoImage(String imagePath) {
        for (Copy c : copies()) {
            if (c.from) continue;
            for (String src : c.sources) {
                String target = c.dest.endsWith("/") ? c.dest + Path.of(src).getFileName() : c.dest;
                if (target.equals(imagePath)) return;
            }
        }
        fail(imagePath + " is not copied into the image by " + DOCKERFILE);
    }

    /** The compose service built from docker/Dockerfile. */
    private static JsonNode processorService() {
        List<JsonNode> found = new ArrayList<>();
        compose.path("services").forEach(s -> {
            if (s.path("build").path("dockerfile").asText().equals(DOCKERFILE)) found.add(s);
        });
        assertEquals(1, found.size(), "one compose service built from " + DOCKERFILE);
        return found.get(0);
    }

    /** The processor service's environment, map or list ("KEY=value") form. */
    private static Map<String, String> processorEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode e = processorService().path("environment");
        if (e.isObject()) e.fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
        else for (JsonNode n : e) {
            String s = n.asText();
            int eq = s.indexOf('=');
            env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
        }
        return env;
    }
}
