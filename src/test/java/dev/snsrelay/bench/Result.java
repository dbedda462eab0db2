package dev.snsrelay.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one scenario. Memory and relay CPU are null for the SDK loop, which runs no
 * relay; ratio is null where no like-for-like baseline exists (the local SNS server).
 */
record Result(Scenario scenario, LoadResult load, Measurement m, boolean drained,
        Long peakHeapBytes, Long peakLiveHeapBytes, Long peakRssBytes, double wallSeconds,
        Double relayCpuSeconds, double benchCpuSeconds, double sinkCpuSeconds,
        double machineCpuSeconds, double targetRate, Double ratio) {

    Result withRatio(Double r) {
        return new Result(scenario, load, m, drained, peakHeapBytes, peakLiveHeapBytes,
                peakRssBytes, wallSeconds, relayCpuSeconds, benchCpuSeconds, sinkCpuSeconds,
                machineCpuSeconds, targetRate, r);
    }

    static String header() {
        return String.format(Locale.ROOT,
                "%-24s %-7s %5s %6s %-6s %7s %9s %8s %8s %9s %9s %8s %6s",
                "scenario", "ingress", "apps", "size", "sink", "events", "events/s", "p50 ms",
                "p99 ms", "p99.9 ms", "heap MB", "RSS MB", "ratio");
    }

    String row() {
        Scenario s = scenario;
        return String.format(Locale.ROOT,
                "%-24s %-7s %5d %6s %-6s %7d %9.0f %8.1f %8.1f %9.1f %9s %8s %6s",
                s.name(), s.ingress(), s.apps(), s.sizeLabel().replace(" ", ""), s.sink(),
                m.delivered(), m.perSecond(), m.p50Ms(), m.p99Ms(), m.p999Ms(),
                mb(peakHeapBytes), mb(peakRssBytes),
                ratio == null ? "-" : String.format(Locale.ROOT, "%.2f", ratio))
                + (drained ? "" : "  (not all delivered in time)");
    }

    Map<String, Object> json() {
        Map<String, Object> j = new LinkedHashMap<>();
        Scenario s = scenario;
        j.put("scenario", s.name());
        j.put("kind", s.kind().name().toLowerCase(Locale.ROOT));
        j.put("ingress", s.ingress());
        j.put("apps", s.apps());
        j.put("event_bytes", s.size());
        j.put("sink", s.sink());
        j.put("relay_overrides", s.relayProperties());
        j.put("events", m.delivered());
        j.put("events_per_s", round(m.perSecond()));
        j.put("p50_ms", round(m.p50Ms()));
        j.put("p99_ms", round(m.p99Ms()));
        j.put("p99_9_ms", round(m.p999Ms()));
        j.put("max_ms", round(m.maxMs()));
        j.put("peak_heap_mb", mbNumber(peakHeapBytes));
        j.put("peak_live_heap_mb", mbNumber(peakLiveHeapBytes));
        j.put("peak_rss_mb", mbNumber(peakRssBytes));
        j.put("ratio_to_sdk_loop", ratio == null ? null : round(ratio));
        j.put("target_rate_per_s", targetRate > 0 ? round(targetRate) : null);
        j.put("sent", load.sent());
        j.put("accepted", load.accepted());
        j.put("failed", load.failed());
        j.put("first_error", load.firstError());
        j.put("accepted_per_s", round(load.acceptedPerSecond()));
        j.put("duplicates", m.duplicates());
        j.put("all_delivered", drained);
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("wall_s", round(wallSeconds));
        cpu.put("relay_cpu_s", relayCpuSeconds == null ? null : round(relayCpuSeconds));
        cpu.put("benchmark_cpu_s", round(benchCpuSeconds));
        cpu.put("sink_cpu_s", round(sinkCpuSeconds));
        cpu.put("other_processes_cpu_s", round(otherCpuSeconds()));
        cpu.put("machine_cores_busy", round(machineCpuSeconds / wallSeconds));
        j.put("cpu", cpu);
        return j;
    }

    /** CPU used by whatever else ran meanwhile: other builds, the local SNS server. */
    double otherCpuSeconds() {
        double ours = (relayCpuSeconds == null ? 0 : relayCpuSeconds) + benchCpuSeconds;
        return Math.max(0, machineCpuSeconds - ours);
    }

    private static String mb(Long bytes) {
        return bytes == null ? "-" : String.valueOf(Math.round(bytes / 1048576.0));
    }

    private static Long mbNumber(Long bytes) {
        return bytes == null ? null : Math.round(bytes / 1048576.0);
    }

    private static Double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : null;
    }
}
