package dev.snsrelay.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one scenario. {@code relay} is null for the SDK loop, which runs no relay;
 * {@code ratio} is null where no like-for-like baseline exists (the local SNS server).
 */
record Result(Scenario scenario, LoadResult load, Measurement m, boolean drained,
        RelayFigures relay, CpuFigures cpu, double targetRate, Double ratio) {

    /** What the monitor saw of the relay process during the measured phase. */
    record RelayFigures(long peakHeapBytes, long peakLiveHeapBytes, long peakRssBytes,
            long rssHighWaterBytes, double cpuSeconds, long deadLetters, double scrapeMillis) {
    }

    /**
     * CPU seconds during the measured phase: the benchmark process (load generator and sink),
     * the sink's threads alone, the whole machine, and the relay's JIT compilers; wall is the
     * phase's duration. snsRequests: Publish and PublishBatch requests the sink answered.
     */
    record CpuFigures(double wallSeconds, double benchSeconds, double sinkSeconds,
            double machineSeconds, long snsRequests, double relayJitSeconds) {
    }

    Result withRatio(Double r) {
        return new Result(scenario, load, m, drained, relay, cpu, targetRate, r);
    }

    /** CPU used meanwhile by whatever else ran: other builds, the local SNS server. */
    double otherCpuSeconds() {
        double ours = (relay == null ? 0 : relay.cpuSeconds()) + cpu.benchSeconds();
        return Math.max(0, cpu.machineSeconds() - ours);
    }

    static String header() {
        return String.format(Locale.ROOT,
                "%-26s %-7s %5s %6s %-6s %7s %9s %8s %8s %9s %8s %7s %6s",
                "scenario", "ingress", "apps", "size", "sink", "events", "events/s", "p50 ms",
                "p99 ms", "p99.9 ms", "heap MB", "RSS MB", "ratio");
    }

    String row() {
        Scenario s = scenario;
        String note = drained ? "" : "  (" + (load.accepted() - m.delivered())
                + " accepted events not delivered)";
        return String.format(Locale.ROOT,
                "%-26s %-7s %5d %6s %-6s %7d %9.0f %8.1f %8.1f %9.1f %8s %7s %6s",
                s.name(), s.ingress(), s.apps(), s.sizeLabel().replace(" ", ""), s.sink(),
                m.delivered(), m.perSecond(), m.p50Ms(), m.p99Ms(), m.p999Ms(),
                relay == null ? "-" : mb(relay.peakHeapBytes()),
                relay == null ? "-" : mb(relay.peakRssBytes()),
                ratio == null ? "-" : String.format(Locale.ROOT, "%.2f", ratio)) + note;
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
        j.put("peak_heap_mb", relay == null ? null : mb(relay.peakHeapBytes()));
        j.put("peak_live_heap_mb", relay == null ? null : mb(relay.peakLiveHeapBytes()));
        j.put("peak_rss_mb", relay == null ? null : mb(relay.peakRssBytes()));
        j.put("rss_high_water_mb", relay == null ? null : mb(relay.rssHighWaterBytes()));
        j.put("ratio_to_sdk_loop", ratio == null ? null : round(ratio));
        j.put("target_rate_per_s", targetRate > 0 ? round(targetRate) : null);
        j.put("sent", load.sent());
        j.put("accepted", load.accepted());
        j.put("failed", load.failed());
        j.put("first_error", load.firstError());
        j.put("accepted_per_s", round(load.acceptedPerSecond()));
        j.put("duplicates", m.duplicates());
        j.put("sns_requests", cpu.snsRequests());
        j.put("events_per_sns_request", cpu.snsRequests() == 0 ? null
                : round(m.delivered() / (double) cpu.snsRequests()));
        j.put("all_delivered", drained);
        j.put("dead_letters", relay == null ? null : relay.deadLetters());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("wall_s", round(cpu.wallSeconds()));
        c.put("relay_cpu_s", relay == null ? null : round(relay.cpuSeconds()));
        c.put("benchmark_cpu_s", round(cpu.benchSeconds()));
        c.put("sink_cpu_s", round(cpu.sinkSeconds()));
        c.put("other_processes_cpu_s", round(otherCpuSeconds()));
        c.put("machine_cores_busy", round(cpu.machineSeconds() / cpu.wallSeconds()));
        c.put("relay_cpu_ms_per_event", relay == null || m.delivered() == 0 ? null
                : round(relay.cpuSeconds() * 1000 / m.delivered()));
        c.put("benchmark_cpu_ms_per_event", m.delivered() == 0 ? null
                : round(cpu.benchSeconds() * 1000 / m.delivered()));
        c.put("relay_jit_cpu_s", relay == null ? null : round(cpu.relayJitSeconds()));
        c.put("metrics_scrape_ms", relay == null ? null : round(relay.scrapeMillis()));
        j.put("cpu", c);
        return j;
    }

    private static long mb(long bytes) {
        return Math.round(bytes / 1048576.0);
    }

    private static Double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : null;
    }
}
