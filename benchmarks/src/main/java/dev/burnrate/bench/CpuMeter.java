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
    private final long processStart;

    private CpuMeter(String marker) {
        this.marker = marker;
        this.processStart = processCpuNanos();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && matches(t)) startByThread.put(t.getThreadId(), THREADS.getThreadCpuTime(t.getThreadId()));
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
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t == null || !matches(t)) continue;
            long now = THREADS.getThreadCpuTime(t.getThreadId());
            if (now < 0) continue;
            app += now - startByThread.getOrDefault(t.getThreadId(), 0L);
        }
        long process = processCpuNanos() - processStart;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("appCpuSeconds", Benchmark.round(app / 1e9, 2));
        m.put("processCpuSeconds", Benchmark.round(process / 1e9, 2));
        m.put("appCpuMicrosPerRecord", Benchmark.round(app / 1e3 / records, 2));
        m.put("processCpuMicrosPerRecord", Benchmark.round(process / 1e3 / records, 2));
        m.put("recordsPerAppCpuSecond", app == 0 ? 0 : Math.round(records / (app / 1e9)));
        return m;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) return os.getProcessCpuTime();
        return -1;
    }
}
