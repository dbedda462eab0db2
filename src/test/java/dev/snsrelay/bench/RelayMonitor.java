package dev.snsrelay.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples the relay process while a scenario runs: resident memory from /proc/PID/status, heap
 * in use and live data after the last GC from /observe/metrics, and CPU time from /proc/PID/stat.
 * Heap "in use" includes garbage not yet collected; the live-data figure is what survives a GC.
 * Each scrape costs the relay CPU (with 1,000 apps the page has thousands of series), so the
 * interval is a second by default.
 */
final class RelayMonitor implements AutoCloseable {

    private static final long TICKS_PER_SECOND = clockTicks();

    private final long pid;
    private final URI metrics;
    private final Duration interval;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).build();
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long peakRss;
    private volatile long peakHeap;
    private volatile long peakLive;
    private volatile long lastLive;
    private final long started = System.nanoTime();
    private volatile long deadLetters;
    // Written by the sampler thread only; read after close().
    private long scrapeNanos;
    private int scrapes;

    RelayMonitor(long pid, URI metrics, Duration interval) {
        this.pid = pid;
        this.metrics = metrics;
        this.interval = interval;
        this.sampler = new Thread(this::sampleLoop, "bench-relay-monitor");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Highest resident set sampled while this monitor ran. */
    long peakRssBytes() {
        return peakRss;
    }

    /** The kernel's high-water mark of the resident set over the process's whole life. */
    long rssHighWaterBytes() {
        return statusKb("VmHWM") * 1024;
    }

    long peakHeapBytes() {
        return peakHeap;
    }

    long peakLiveHeapBytes() {
        return peakLive;
    }

    /** Events on the relay's dead-letter queue at the last sample. */
    long deadLetters() {
        return deadLetters;
    }

    /** User plus system CPU time of the relay process so far, in nanoseconds. */
    long cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1_000_000_000L / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * CPU time the relay's JIT compiler threads have used so far, in nanoseconds: while it still
     * grows fast, the relay is not warm and its figures would be the compiler's.
     */
    static long jitCpuNanos(long pid) {
        long total = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException e) {
                    // A compiler thread that just ended has nothing more to add.
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total * 1_000_000_000L / TICKS_PER_SECOND;
    }

    /**
     * CPU time all processes of the machine have used since boot (from /proc/stat), so a run can
     * tell how much of the two cores went to something other than the relay and the benchmark.
     */
    static long machineCpuNanos() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy * 1_000_000_000L / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.join(10_000);
        // One last sample, so that even a phase shorter than the interval has one.
        peakRss = Math.max(peakRss, statusKb("VmRSS") * 1024);
        sampleHeap();
    }

    private void sampleLoop() {
        // Bounded: a benchmark phase lasts minutes; the loop ends with close() or after a day.
        long end = System.nanoTime() + Duration.ofDays(1).toNanos();
        while (running && System.nanoTime() < end) {
            peakRss = Math.max(peakRss, statusKb("VmRSS") * 1024);
            sampleHeap();
            LockSupport.parkNanos(interval.toNanos());
        }
    }

    /** Mean time one /observe/metrics answer took, in ms: what the sampling costs the relay. */
    double meanScrapeMillis() {
        return scrapes == 0 ? 0 : scrapeNanos / 1e6 / scrapes;
    }

    private void sampleHeap() {
        long t0 = System.nanoTime();
        try {
            String text = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            long heap = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    heap += value(line);
                } else if (line.startsWith("jvm_gc_live_data_size_bytes")) {
                    long live = value(line);
                    peakLive = Math.max(peakLive, live);
                    if (live != lastLive) {
                        // Printed as it changes (after old-generation collections), so that a
                        // long run shows whether what survives a GC grows.
                        System.err.printf("bench:     live heap after GC: %d MB, %d s in%n",
                                live >> 20, (System.nanoTime() - started) / 1_000_000_000L);
                        lastLive = live;
                    }
                } else if (line.startsWith("relay_dead_letters ")) {
                    deadLetters = value(line);
                }
            }
            peakHeap = Math.max(peakHeap, heap);
            scrapeNanos += System.nanoTime() - t0;
            scrapes++;
        } catch (IOException | RuntimeException e) {
            // A missed sample only lowers the resolution; the next one follows.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static long value(String line) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process has ended.
        }
        return 0;
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        }
    }
}
