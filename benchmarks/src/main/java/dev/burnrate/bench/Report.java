package dev.burnrate.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Ratios, targets and the printed table, from the result tree. */
@SuppressWarnings("unchecked")
final class Report {
    private Report() {
    }

    private static Long rate(Map<String, Object> parts, String part) {
        Object p = parts.get(part);
        return p instanceof Map<?, ?> m && m.get("recordsPerSecond") instanceof Number n ? n.longValue() : null;
    }

    private static Long cpuRate(Map<String, Object> parts, String part) {
        Object p = parts.get(part);
        return p instanceof Map<?, ?> m && m.get("cpu") instanceof Map<?, ?> c && c.get("recordsPerAppCpuSecond") instanceof Number n ? n.longValue() : null;
    }

    private static List<String> throughputParts(Map<String, Object> parts) {
        List<String> out = new java.util.ArrayList<>();
        for (String p : Benchmark.THROUGHPUT_PARTS) if (parts.containsKey(p)) out.add(p);
        for (String p : parts.keySet()) if (p.startsWith("eos:")) out.add(p);
        return out;
    }

    /** The references every rate is divided by, in the order reported. */
    static final List<String> REFERENCES = List.of("consumer", "floor-eos", "floor-alos", "peer-eos", "peer-alos");

    /** The at-least-once parts; every other throughput part runs exactly-once. */
    static boolean atLeastOnce(String part) {
        return part.endsWith("alos");
    }

    /**
     * Every throughput rate as a ratio to the consumer, the floor and the peer (wall clock: "vsFloorEos", ...; per
     * app CPU-second: "perCpuSecondVsFloorEos", ...), and to the floor and the peer of its own guarantee ("vsFloor",
     * "vsPeer"), which the table shows.
     */
    static Map<String, Object> ratios(Map<String, Object> parts) {
        Map<String, Object> r = new LinkedHashMap<>();
        for (String p : throughputParts(parts)) {
            Long v = rate(parts, p), c = cpuRate(parts, p);
            if (v == null) continue;
            Map<String, Object> x = new LinkedHashMap<>();
            for (String ref : REFERENCES) {
                Long rv = rate(parts, ref), rc = cpuRate(parts, ref);
                if (ref.equals(p)) continue;
                String name = camel(ref);
                if (rv != null) x.put("vs" + name, Benchmark.round((double) v / rv, 3));
                if (c != null && rc != null && rc > 0) x.put("perCpuSecondVs" + name, Benchmark.round((double) c / rc, 3));
            }
            String own = atLeastOnce(p) ? "Alos" : "Eos";
            if (x.containsKey("vsFloor" + own)) x.put("vsFloor", x.get("vsFloor" + own));
            if (x.containsKey("vsPeer" + own)) x.put("vsPeer", x.get("vsPeer" + own));
            r.put(p, x);
        }
        return r;
    }

    /** "floor-eos" -> "FloorEos". */
    private static String camel(String part) {
        StringBuilder b = new StringBuilder();
        for (String w : part.split("-")) b.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
        return b.toString();
    }

    static Map<String, Object> targets(Map<String, Object> parts) {
        Map<String, Object> t = new LinkedHashMap<>();
        Long floor = rate(parts, "floor-eos"), peer = rate(parts, "peer-eos"), eos = rate(parts, "eos");
        if (eos != null && floor != null) t.put("eos >= 50% of the engine floor (eos)", verdict((double) eos / floor >= 0.5,
                Benchmark.fmt("%.1f%%", 100.0 * eos / floor)));
        if (eos != null && peer != null) t.put("eos >= 5x naive peer (eos)", verdict((double) eos / peer >= 5,
                Benchmark.fmt("%.2fx", (double) eos / peer)));
        for (Map.Entry<String, Object> e : parts.entrySet()) {
            if (!e.getKey().startsWith("latency-")) continue;
            Map<String, Object> l = (Map<String, Object>) e.getValue();
            Map<String, Object> s = (Map<String, Object>) l.get("eventToAlertMs");
            if (s != null && s.get("p99") instanceof Number p99) {
                t.put("p99 event-to-alert < 1 s (evaluation.interval=" + l.get("evaluationInterval") + ")",
                        verdict(p99.longValue() < 1000, p99 + " ms"));
            }
        }
        if (parts.get("memory") instanceof List<?> mem) {
            for (Object o : mem) {
                Map<String, Object> m = (Map<String, Object>) o;
                int keys = ((Number) m.get("keys")).intValue();
                if (keys < 100_000) continue;
                long mib = ((Number) m.get("heapPlusStateMiB")).longValue();
                t.put("100k routes within 1 GiB heap + state", verdict(mib <= 1024, mib + " MiB"));
                Map<String, Object> r = (Map<String, Object>) m.get("restore");
                double secs = ((Number) r.get("secondsToRunning")).doubleValue();
                t.put("restore of 100k keys < 60 s", verdict(secs < 60, secs + " s"));
            }
        }
        return t;
    }

    private static String verdict(boolean met, String figure) {
        return (met ? "MET" : "MISSED") + " (" + figure + ")";
    }

    static String table(Map<String, Object> result) {
        StringBuilder b = new StringBuilder();
        Map<String, Object> parts = (Map<String, Object>) result.get("parts");
        Map<String, Object> ratios = (Map<String, Object>) result.get("ratios");
        b.append("\nburnrate benchmark  ").append(result.get("machine")).append('\n');
        b.append("config ").append(result.get("config")).append("\n\n");
        b.append("throughput; ratios to the floor and the peer of the same guarantee (all ratios in the JSON)\n");
        b.append(Benchmark.fmt("%-36s %11s %9s %9s %9s %9s %9s %9s %9s%n", "", "records/s", "vs cons.", "vs floor", "vs peer",
                "app us/r", "proc us/r", "JIT+GC/r", "CPU/floor"));
        for (String p : throughputParts(parts)) {
            Long r = rate(parts, p);
            if (r == null) continue;
            Map<String, Object> x = (Map<String, Object>) ratios.getOrDefault(p, Map.of());
            String label = switch (p) {
                case "consumer" -> "plain consumer (limit)";
                case "floor-eos" -> "engine floor, exactly-once";
                case "floor-alos" -> "engine floor, at-least-once";
                case "decode-eos" -> "floor + decode and count, e-o";
                case "peer-eos" -> "naive DSL peer, exactly-once";
                case "peer-alos" -> "naive DSL peer, at-least-once";
                case "eos" -> "processor, defaults (exactly-once)";
                case "alos" -> "processor, at-least-once";
                default -> "processor, " + p.substring(4);
            };
            Map<String, Object> cpu = (Map<String, Object>) ((Map<String, Object>) parts.get(p)).getOrDefault("cpu", Map.of());
            Object cpuVsFloor = x.getOrDefault(atLeastOnce(p) ? "perCpuSecondVsFloorAlos" : "perCpuSecondVsFloorEos", "-");
            Object vm = cpu.getOrDefault("jitAndGcCpuMicrosPerRecord", "-");
            b.append(Benchmark.fmt("%-36s %11d %9s %9s %9s %9s %9s %9s %9s%n", label, r, x.getOrDefault("vsConsumer", "-"),
                    x.getOrDefault("vsFloor", "-"), x.getOrDefault("vsPeer", "-"), cpu.getOrDefault("appCpuMicrosPerRecord", "-"),
                    cpu.getOrDefault("processCpuMicrosPerRecord", "-"), vm, cpuVsFloor));
        }
        if (parts.get("paced") instanceof Map<?, ?> paced) {
            b.append(Benchmark.fmt("%npaced: %s records/s for %s s, event time = wall time, the three apps at once (exactly-once)%n",
                    paced.get("recordsPerSecond"), paced.get("seconds")));
            b.append(Benchmark.fmt("%-36s %9s %9s %12s%n", "", "app us/r", "proc us/r", "s behind"));
            for (String app : List.of("floor-eos", "peer-eos", "eos")) {
                Map<String, Object> a = (Map<String, Object>) paced.get(app);
                Map<String, Object> cpu = (Map<String, Object>) a.get("cpu");
                b.append(Benchmark.fmt("%-36s %9s %9s %12s%n", app.equals("eos") ? "processor, defaults" : app.startsWith("floor")
                        ? "engine floor" : "naive DSL peer", cpu.get("appCpuMicrosPerRecord"), cpu.get("processCpuMicrosPerRecord"), a.get("secondsBehindAtEnd")));
            }
            b.append(Benchmark.fmt("  processor app CPU per record: %sx the floor's, %sx the peer's%n", paced.get("processorCpuVsFloor"),
                    paced.get("processorCpuVsPeer")));
        }
        for (Map.Entry<String, Object> e : parts.entrySet()) {
            if (!e.getKey().startsWith("latency-")) continue;
            Map<String, Object> l = (Map<String, Object>) e.getValue();
            b.append(Benchmark.fmt("%nlatency, evaluation.interval=%s, %s records/s background, %s incidents, %s alerts seen%n",
                    l.get("evaluationInterval"), l.get("backgroundRecordsPerSecond"), l.get("incidents"), l.get("alertsSeen")));
            for (String k : List.of("eventToAlertMs", "waitForInstantMs", "instantToAlertMs")) {
                Map<String, Object> s = (Map<String, Object>) l.get(k);
                b.append(Benchmark.fmt("  %-20s p50 %6s ms  p99 %6s ms  max %6s ms%n", k, s.get("p50"), s.get("p99"), s.get("max")));
            }
        }
        if (parts.get("memory") instanceof List<?> mem) {
            b.append(Benchmark.fmt("%n%-8s %10s %12s %12s %12s %12s %12s %10s%n", "keys", "events", "heap B/key", "rocksMem B/k",
                    "disk B/key", "store keys/k", "total MiB", "restore s"));
            for (Object o : mem) {
                Map<String, Object> m = (Map<String, Object>) o;
                Map<String, Object> r = (Map<String, Object>) m.get("restore");
                b.append(Benchmark.fmt("%-8s %10s %12s %12s %12s %12s %12s %10s%n", m.get("keys"), m.get("events"), m.get("heapBytesPerKey"),
                        m.get("rocksdbMemoryBytesPerKey"), m.get("stateDirBytesPerKey"), m.get("storeKeysPerActiveKey"),
                        m.get("heapPlusStateMiB"), r.get("secondsToRunning")));
            }
        }
        b.append("\ntargets\n");
        ((Map<String, Object>) result.get("targets")).forEach((k, v) -> b.append(Benchmark.fmt("  %-60s %s%n", k, v)));
        for (Map.Entry<String, Object> e : parts.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> m && m.get("profile") instanceof Map<?, ?> prof) {
                b.append("\nprofile of ").append(e.getKey()).append(" (stream threads, % of busy samples: ").append(prof.get("busySamples")).append(")\n");
                ((Map<String, Object>) prof.get("inclusivePercent")).forEach((k, v) -> b.append(Benchmark.fmt("  %-50s %5s%%%n", k, v)));
                b.append("  hottest leaf frames:\n");
                ((Map<String, Object>) prof.get("hottestLeafFramesPercent")).forEach((k, v) -> b.append(Benchmark.fmt("    %-80s %5s%%%n", k, v)));
            }
        }
        return b.toString();
    }
}
