package dev.burnrate.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time spent between two points: by the threads whose name contains a marker (a Kafka Streams app's stream,
 * producer and consumer threads all carry its client id, which starts with the application.id), and by the whole
 * process (broker included). On a shared machine, wall-clock rates move with other load; CPU per record does much
 * less, so both are reported.
 */
final class CpuMeter {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final String marker;
    private final Map<Long, Long> startByThread = new HashMap<>();
    /** Every live thread's CPU time at the start, for the breakdown of the process's CPU by thread group. */
    private final Map<Long, Long> startOfAll = new HashMap<>();
    private final long processStart;
    /** Every OS thread's CPU ticks at the start (Linux /proc), JIT, GC and RocksDB's native threads included. */
    private final Map<String, Long> osStart = osThreads();

    private CpuMeter(String marker) {
        this.marker = marker;
        this.processStart = processCpuNanos();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t == null) continue;
            long cpu = THREADS.getThreadCpuTime(t.getThreadId());
            startOfAll.put(t.getThreadId(), cpu);
            if (matches(t)) startByThread.put(t.getThreadId(), cpu);
        }
    }

    /** Starts measuring the threads whose name contains the marker (null: the calling thread). */
    static CpuMeter start(String marker) {
        return new CpuMeter(marker);
    }

    private boolean matches(ThreadInfo t) {
        return marker == null ? t.getThreadId() == Thread.currentThread().getId() : t.getThreadName().contains(marker);
    }

    /** {appCpuSeconds, processCpuSeconds, µs per record of each, records per app CPU-second}. */
    Map<String, Object> stop(long records) {
        long app = 0;
        Map<String, Long> byGroup = new HashMap<>();
        long javaThreads = 0;
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t == null) continue;
            long now = THREADS.getThreadCpuTime(t.getThreadId());
            if (now < 0) continue;
            long used = now - startOfAll.getOrDefault(t.getThreadId(), 0L);
            javaThreads += used;
            byGroup.merge(group(t.getThreadName()), used, Long::sum);
            if (matches(t)) app += now - startByThread.getOrDefault(t.getThreadId(), 0L);
        }
        long process = processCpuNanos() - processStart;
        // what no live Java thread accounts for: the JIT compilers, the garbage collector, RocksDB's native threads,
        // threads that ended during the run
        byGroup.put("(JIT, GC, VM)", process - javaThreads);
        Map<String, Long> osEnd = osThreads();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("appCpuSeconds", Benchmark.round(app / 1e9, 2));
        m.put("processCpuSeconds", Benchmark.round(process / 1e9, 2));
        m.put("appCpuMicrosPerRecord", Benchmark.round(app / 1e3 / records, 2));
        m.put("processCpuMicrosPerRecord", Benchmark.round(process / 1e3 / records, 2));
        m.put("recordsPerAppCpuSecond", app == 0 ? 0 : Math.round(records / (app / 1e9)));
        m.put("processCpuMicrosPerRecordByThreads", top(byGroup, 1e-3 / records));
        if (!osEnd.isEmpty()) {
            // the OS's view, by thread name as the OS keeps it (15 characters): splits the native part
            Map<String, Long> byOs = new HashMap<>();
            osEnd.forEach((tid, end) -> byOs.merge(group(tid.substring(tid.indexOf(' ') + 1)), end - osStart.getOrDefault(tid, 0L), Long::sum));
            m.put("processCpuMicrosPerRecordByOsThreads", top(byOs, TICK_MICROS / records));
            long jitGc = byOs.entrySet().stream().filter(e -> isJitOrGc(e.getKey())).mapToLong(Map.Entry::getValue).sum();
            m.put("jitAndGcCpuMicrosPerRecord", Benchmark.round(jitGc * TICK_MICROS / records, 2));
        }
        return m;
    }

    /** The 12 largest groups, largest first, each times scale (to µs per record). */
    private static Map<String, Object> top(Map<String, Long> byGroup, double scale) {
        Map<String, Object> out = new LinkedHashMap<>();
        byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> out.put(e.getKey(), Benchmark.round(e.getValue() * scale, 2)));
        return out;
    }

    /** Linux's clock tick: 10 ms (USER_HZ is 100 on every mainstream kernel build). */
    private static final double TICK_MICROS = 10_000;

    /** @param osName a grouped name ("C2 CompilerThre" is "CN CompilerThre") */
    static boolean isJitOrGc(String osName) {
        return osName.contains("CompilerThre") || osName.startsWith("GC Thread") || osName.startsWith("GN ") || osName.startsWith("VM Thread");
    }

    /** "tid name" to utime + stime in clock ticks of every thread of this process; empty where /proc is missing. */
    private static Map<String, Long> osThreads() {
        Map<String, Long> m = new HashMap<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) return m;
        for (java.io.File t : tasks) {
            try {
                String stat = java.nio.file.Files.readString(t.toPath().resolve("stat"));
                int open = stat.indexOf('('), close = stat.lastIndexOf(')');
                String[] f = stat.substring(close + 2).split(" ");
                // fields after the name: state(0) ... utime(11) stime(12)
                m.put(t.getName() + " " + stat.substring(open + 1, close), Long.parseLong(f[11]) + Long.parseLong(f[12]));
            } catch (java.io.IOException | RuntimeException e) {
                // the thread ended while being read
            }
        }
        return m;
    }

    /** A thread's name without its numbers and ids, so that a pool's threads add up. */
    static String group(String name) {
        return name.replaceAll("[0-9a-f]{6,}(-[0-9a-f]+)*", "<id>").replaceAll("\\d+", "N");
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) return os.getProcessCpuTime();
        return -1;
    }
}
