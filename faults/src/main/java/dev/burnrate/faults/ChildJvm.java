package dev.burnrate.faults;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** A separate JVM on this harness's classpath, its output in a log file; stopped with SIGKILL or SIGTERM. */
class ChildJvm implements AutoCloseable {
    /** Every child still running: killed when the harness itself is stopped (Ctrl-C), so none is left behind. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "kill-children"));
    }

    final String name;
    final Path log;
    private final Process process;
    final long startedNanos;

    ChildJvm(String name, Path log, String heap, String mainClass, String... args) throws IOException {
        this.name = name;
        this.log = log;
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        String extra = System.getenv("FAULTS_CHILD_JVM_OPTS"); // e.g. a log4j2 configuration to see Kafka's INFO lines
        if (extra != null && !extra.isBlank()) cmd.addAll(List.of(extra.trim().split("\\s+")));
        cmd.addAll(List.of("-cp", classpath(), mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("BURNRATE_")); // the configuration is the file alone
        startedNanos = System.nanoTime();
        process = pb.start();
        RUNNING.add(process);
        process.onExit().thenRun(() -> RUNNING.remove(process));
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no close, no last commit. Returns once the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException(name + " still running 30s after SIGKILL");
    }

    /** SIGTERM (the shutdown hooks run); SIGKILL after {@code seconds}. */
    void stop(int seconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) kill();
    }

    int exitValue() {
        return process.exitValue();
    }

    /** The last lines of the log, without stack-trace lines, for failure messages. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> !l.startsWith("\t")).toList();
            return "--- " + name + " (" + log + ") ---\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) stop(30);
    }

    /**
     * This JVM's classpath: java.class.path under a plain {@code java} or surefire; under {@code mvn exec:java} the
     * project's classpath is only in the class loader that loaded this class.
     */
    static String classpath() {
        String own = System.getProperty("java.class.path");
        if (own.contains("kafka-streams")) return own;
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader l = ChildJvm.class.getClassLoader(); l != null; l = l.getParent()) {
            if (!(l instanceof URLClassLoader u)) continue;
            for (URL url : u.getURLs()) {
                try {
                    entries.add(new File(url.toURI()).getPath());
                } catch (URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
