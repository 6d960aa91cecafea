package dev.burnrate.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.burnrate.app.AppConfig;
import dev.burnrate.app.DockerFilesTest;
import dev.burnrate.app.DockerFilesTest.Instruction;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
 * Static checks of the notifier's part of docker/ (no Docker engine here), with DockerFilesTest's Dockerfile
 * parser: the notifier image's entry point, copied files and profile; the compose file's notifier and Alertmanager
 * services; every BURNRATE_NOTIFIER_* name mentioned is a notifier key; and both Dockerfiles copy every module
 * of the root pom (Maven cannot read the reactor otherwise).
 */
class NotifierDockerFilesTest {
    private static final String DOCKERFILE = "docker/Dockerfile.notifier";
    private static Path root;
    private static List<Instruction> dockerfile;
    private static JsonNode compose;

    @BeforeAll
    static void load() throws IOException {
        root = DockerFilesTest.repoRoot();
        dockerfile = DockerFilesTest.parseDockerfile(root.resolve(DOCKERFILE));
        compose = new YAMLMapper().readTree(root.resolve("docker/docker-compose.yml").toFile());
    }

    @Test
    void entrypointStartsTheNotifierWithTheCopiedConfig() throws Exception {
        List<String> entry = jsonArray(single("ENTRYPOINT"));
        assertEquals(List.of("java", "-cp", "/app/lib/*"), entry.subList(0, 3));
        Class<?> main = Class.forName(entry.get(entry.size() - 1));
        assertEquals(Main.class, main);
        assertTrue(Modifier.isStatic(main.getMethod("main", String[].class).getModifiers()));
        List<String> cmd = jsonArray(single("CMD"));
        assertEquals("--config", cmd.get(0));
        assertTrue(dockerfile.stream().anyMatch(i -> i.op().equals("COPY") && i.args().startsWith("config/notifier.properties")
                && cmd.get(1).startsWith(i.args().split("\\s+")[1])), "the CMD's config file is copied into the image: " + cmd);
        for (Instruction i : dockerfile) {
            if (!i.op().equals("COPY") || i.args().startsWith("--from")) continue;
            String[] words = i.args().split("\\s+");
            for (int w = 0; w < words.length - 1; w++) assertTrue(Files.exists(root.resolve(words[w])), DOCKERFILE + ":" + i.line() + ": " + words[w]);
        }
        String pom = Files.readString(root.resolve("notifier/pom.xml"));
        assertTrue(dockerfile.stream().anyMatch(i -> i.op().equals("RUN") && i.args().contains("-Pno-embedded-broker")));
        assertTrue(pom.contains("<id>no-embedded-broker</id>"), "the profile the build uses exists in notifier/pom.xml");
    }

    @Test
    void bothDockerfilesCopyEveryModuleOfTheRootPom() throws IOException {
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(root.resolve("pom.xml")));
        List<String> modules = new ArrayList<>();
        while (m.find()) modules.add(m.group(1));
        assertTrue(modules.contains("notifier"), modules.toString());
        for (String file : List.of("docker/Dockerfile", DOCKERFILE)) {
            List<Instruction> d = DockerFilesTest.parseDockerfile(root.resolve(file));
            for (String module : modules) {
                assertTrue(d.stream().anyMatch(i -> i.op().equals("COPY") && i.args().equals(module + " " + module)),
                        file + " copies module " + module + " (Maven reads every module of the reactor)");
            }
        }
    }

    /** Every BURNRATE_NOTIFIER_* name in the docker files is a notifier key's variable. */
    @Test
    void everyMentionedNotifierVariableIsANotifierKey() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String file : List.of(DOCKERFILE, "docker/docker-compose.yml", "docker/README.md")) {
            List<String> lines = Files.readAllLines(root.resolve(file), StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = Pattern.compile("BURNRATE_NOTIFIER_[A-Z0-9_]+").matcher(lines.get(i));
                while (m.find()) {
                    boolean known = false;
                    for (NotifierKey k : NotifierKey.values()) known |= AppConfig.envName(k.key).equals(m.group());
                    if (!known) problems.add(file + ":" + (i + 1) + ": " + m.group());
                }
            }
        }
        assertTrue(problems.isEmpty(), "variables that map to no notifier key: " + problems);
    }

    /** The image's and compose's variables are read by the notifier, and together give a config that starts. */
    @Test
    void composeRunsTheNotifierAgainstTheBrokerAndAlertmanager() throws IOException {
        JsonNode notifier = service(DOCKERFILE);
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction i : dockerfile) {
            if (!i.op().equals("ENV")) continue;
            String[] kv = i.args().split("=", 2);
            env.put(kv[0], kv[1]);
        }
        notifier.path("environment").fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
        NotifierConfig cfg = NotifierConfig.load(root.resolve("config/notifier.properties"), env);
        assertTrue(cfg.hasBootstrapServers());
        assertEquals("0.0.0.0", cfg.get(NotifierKey.HTTP_BIND_ADDRESS));
        assertFalse(Notifier.targets(cfg).isEmpty());

        String broker = env.get("BURNRATE_BOOTSTRAP_SERVERS").split(":")[0];
        List<URI> ams = cfg.getUrls(NotifierKey.ALERTMANAGER_URLS);
        assertFalse(ams.isEmpty(), "compose delivers to its Alertmanager");
        for (String host : List.of(broker, ams.get(0).getHost())) {
            JsonNode dependency = compose.path("services").path(host);
            assertFalse(dependency.isMissingNode(), host + " is a compose service");
            assertFalse(dependency.path("healthcheck").path("test").isMissingNode(), host + " has a healthcheck");
            assertEquals("service_healthy", notifier.path("depends_on").path(host).path("condition").asText());
        }
        JsonNode am = compose.path("services").path(ams.get(0).getHost());
        String mount = am.path("volumes").get(0).asText().split(":")[0];
        JsonNode amConfig = new YAMLMapper().readTree(root.resolve("docker").resolve(mount).toFile());
        String receiver = amConfig.path("route").path("receiver").asText();
        assertTrue(amConfig.path("receivers").findValuesAsText("name").contains(receiver), "the route's receiver is defined: " + amConfig);
        assertTrue(am.path("command").toString().contains(mount.replace("./", "/etc/alertmanager/")), "Alertmanager reads the mounted config");
        assertEquals(cfg.getInt(NotifierKey.HTTP_PORT) + ":" + cfg.getInt(NotifierKey.HTTP_PORT), notifier.path("ports").get(0).asText());
    }

    private static JsonNode service(String dockerfileName) {
        List<JsonNode> found = new ArrayList<>();
        compose.path("services").forEach(s -> {
            if (s.path("build").path("dockerfile").asText().equals(dockerfileName)) found.add(s);
        });
        assertEquals(1, found.size(), "one compose service built from " + dockerfileName);
        assertEquals(root.normalize(), root.resolve("docker").resolve(found.get(0).path("build").path("context").asText()).normalize());
        return found.get(0);
    }

    private static String single(String op) {
        List<Instruction> found = dockerfile.stream().filter(i -> i.op().equals(op)).toList();
        assertEquals(1, found.size(), "one " + op);
        return found.get(0).args();
    }

    private static List<String> jsonArray(String args) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode n : new ObjectMapper().readTree(args)) out.add(n.asText());
        assertNotNull(out);
        return out;
    }
}
