package dev.snsrelay.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.snsrelay.e2e.LocalSns;
import dev.snsrelay.e2e.RelayProcess;
import dev.snsrelay.e2e.RunningRelay;

/**
 * sns-relay's benchmark: runs the relay in its own JVM per scenario, drives events in over HTTP
 * or JMS, and measures end to end what reaches an SNS endpoint on 127.0.0.1. Prints a table and
 * writes the same figures to target/bench/results.json. Run from the project folder
 * ({@code ./relay bench}); docs/BENCHMARKS.md explains the figures.
 */
public final class Benchmark {

    private static final Path OUT = Path.of("target/bench");
    /** Sequence numbers of measured events start here; warm-up events are numbered below. */
    private static final long MEASURED_FROM = 1_000_000;
    private static final String ACCOUNT_ARN = "arn:aws:sns:us-east-1:000000000000:";

    private final Options options;
    private final List<Result> results = new ArrayList<>();
    private SnsSink sink;
    private LocalSns localSns;
    private SnsSink localSnsTap;
    private String localSnsTopic;
    private String loadAverage;
    /** The relay of the group being measured, stopped by the shutdown hook on Ctrl-C. */
    private volatile RelayProcess running;

    private Benchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(Options.USAGE);
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.list) {
            Scenario.all().forEach(s -> System.out.println(s.name()));
            return;
        }
        new Benchmark(options).run();
    }

    private void run() throws Exception {
        List<Scenario> plan = selected();
        Instant started = Instant.now();
        loadAverage = Files.readString(Path.of("/proc/loadavg")).trim();
        log("%d scenarios%s: %s", plan.size(), options.quick ? " (quick)" : "",
                plan.stream().map(Scenario::name).collect(Collectors.joining(", ")));
        sink = SnsSink.start(options.sinkThreads);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            RelayProcess r = running;
            if (r != null) {
                try {
                    r.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "bench-stop-relay"));
        try {
            // Scenarios with the same relay set-up share one relay, started and warmed once.
            Map<String, List<Scenario>> groups = new LinkedHashMap<>();
            for (Scenario s : plan) {
                groups.computeIfAbsent(s.relayGroup(), k -> new ArrayList<>()).add(s);
            }
            for (List<Scenario> group : groups.values()) {
                // Smaller events first: a JVM's resident memory seldom shrinks, so a
                // scenario's RSS should not carry the footprint of larger events run before it.
                group.sort(Comparator.comparingInt(Scenario::size)
                        .thenComparing(Scenario::kind).thenComparing(Scenario::ingress));
                if (group.get(0).kind() == Scenario.Kind.SDK_LOOP) {
                    for (Scenario s : group) {
                        report(sdkLoop(s), plan);
                    }
                } else {
                    relayGroup(group, plan);
                }
            }
        } finally {
            sink.close();
            if (localSnsTap != null) {
                localSnsTap.close();
            }
            if (localSns != null) {
                localSns.close();
            }
        }
        List<Result> table = withRatios(plan);
        System.out.println();
        System.out.println(Result.header());
        table.forEach(r -> System.out.println(r.row()));
        Path json = write(table, started);
        System.out.println();
        System.out.println("Written to " + json + " (" + Duration.between(started,
                Instant.now()).toSeconds() + " s)");
        List<String> lost = table.stream().filter(r -> !r.drained())
                .map(r -> r.scenario().name()).toList();
        if (!lost.isEmpty()) {
            // Accepted events that never reached SNS are a finding, not noise: make it visible.
            System.out.println("Accepted events were not delivered in: " + lost
                    + " (see the relay logs in target/test-logs/)");
            System.exit(3);
        }
    }

    private void report(Result r, List<Scenario> plan) {
        results.add(r);
        log("[%d/%d] %s", results.size(), plan.size(), r.row().trim());
        double other = r.otherCpuSeconds() / r.cpu().wallSeconds();
        if (other > 0.25) {
            log("    note: other processes kept %.1f of the cores busy meanwhile", other);
        }
    }

    /** The chosen scenarios, plus those they need: the baseline, and a half-rate's source. */
    private List<Scenario> selected() {
        List<String> names = new ArrayList<>();
        if (options.patterns.isEmpty()) {
            names.addAll(options.quick ? Scenario.quick()
                    : Scenario.all().stream().map(Scenario::name).toList());
        } else {
            for (Scenario s : Scenario.all()) {
                if (options.patterns.stream().anyMatch(p -> p.matcher(s.name()).matches())) {
                    names.add(s.name());
                }
            }
            if (names.isEmpty()) {
                throw new IllegalArgumentException("no scenario matches " + options.patterns
                        + "; --list shows them");
            }
        }
        names.add(Scenario.BASELINE);
        names.add(Scenario.BASELINE_AGAIN);
        for (Scenario s : Scenario.all()) {
            if (s.kind() == Scenario.Kind.HALF_RATE && names.contains(s.name())) {
                names.add(s.rateSource());
            }
        }
        return Scenario.all().stream().filter(s -> names.contains(s.name())).toList();
    }

    private Result sdkLoop(Scenario s) throws InterruptedException {
        EventTemplate events = new EventTemplate(s.size());
        SdkLoop loop = new SdkLoop(URI.create(sink.endpoint()), ACCOUNT_ARN + "bench-sdk-loop",
                events, options.sdkThreads);
        // Warmed up as a relay is, until this JVM's compilers (the loop's and the sink's) are
        // quiet.
        untilCompiled(ProcessHandle.current().pid(), options.groupWarmUpTime(), () -> {
            sink.reset(200_000);
            return loop.run(new Plan(0, 200_000, options.warmUpRound(), 0, null, 0))
                    .accepted();
        });

        int max = maxEvents(s);
        sink.reset(max + 1000);
        long bench0 = benchCpuNanos();
        long sink0 = sink.cpuNanos();
        long machine0 = RelayMonitor.machineCpuNanos();
        long wall0 = System.nanoTime();
        LoadResult load = loop.run(new Plan(MEASURED_FROM, max, options.sendTime(), 0, null, 0));
        Measurement m = Measurement.of(sink.recording(), MEASURED_FROM, max,
                load.firstSendMicros());
        double wall = (System.nanoTime() - wall0) / 1e9;
        return new Result(s, load, m, true, null, new Result.CpuFigures(wall,
                (benchCpuNanos() - bench0) / 1e9, (sink.cpuNanos() - sink0) / 1e9,
                (RelayMonitor.machineCpuNanos() - machine0) / 1e9, sink.requests(), 0), 0, null);
    }

    /**
     * Starts one relay for scenarios that share apps, sink and settings, warms it up (JIT,
     * connection pools, one SNS client per app), then measures each scenario in turn.
     */
    private void relayGroup(List<Scenario> group, List<Scenario> plan) throws Exception {
        Scenario first = group.get(0);
        boolean fauxqs = first.sink().equals("fauxqs");
        SnsSink target = fauxqs ? localSnsTap() : sink;
        List<String> apps = IntStream.range(0, first.apps()).mapToObj(i -> "bench-" + i)
                .toList();
        Path data = options.dataDir.resolve(first.relayGroup());
        deleteTree(data);
        try (RelayProcess relay = new RelayProcess(data.toAbsolutePath(), target.endpoint())) {
            running = relay;
            for (String app : apps) {
                relay.app(app, fauxqs ? localSnsTopic : ACCOUNT_ARN + app);
            }
            if (options.profile) {
                // Recording from the start: starting Flight Recorder later instruments classes
                // and fills the JIT's queue in the middle of a measurement.
                relay.jvmOption("-XX:StartFlightRecording=name=bench,settings=profile,"
                        + "maxage=30m");
            }
            options.relayProperties.forEach(relay::property);
            first.relayProperties().forEach(relay::property);
            long t0 = System.nanoTime();
            relay.start();
            long t1 = System.nanoTime();
            Scenario warmUp = new Scenario("warm-up", Scenario.Kind.SATURATE, "http",
                    first.apps(), Scenario.KB, first.sink());
            // Every app once first, however long it takes (each makes its SNS client), then
            // the timed warm-up.
            long warmed = warmUp(warmUp, relay, target, apps, Duration.ofSeconds(120),
                    first.apps());
            warmed += warmUntilCompiled(warmUp, relay, target, apps,
                    options.groupWarmUpTime());
            log("relay for %s: started in %.1f s, warmed up with %d events in %.1f s",
                    group.stream().map(Scenario::name).collect(Collectors.joining(", ")),
                    (t1 - t0) / 1e9, warmed, (System.nanoTime() - t1) / 1e9);
            for (Scenario s : group) {
                double rate = s.kind() == Scenario.Kind.HALF_RATE
                        ? find(s.rateSource()).m().perSecond() / 2 : 0;
                report(measure(s, relay, target, apps, rate), plan);
            }
            // The data folder is thrown away: no need to wait for a graceful stop.
            relay.kill();
        } finally {
            deleteTree(data);
        }
    }

    /** Sends warm-up events (numbered below the measured ones) and waits for them. */
    private long warmUp(Scenario s, RelayProcess relay, SnsSink target, List<String> apps,
            Duration time, int events) throws InterruptedException {
        target.reset(Math.min(events, 200_000) + 1000);
        LoadResult w = loadFor(s, relay, apps).run(Plan.saturating(0, events, time,
                target::messages, maxBacklog(s)));
        awaitDelivered(target, w.accepted());
        return w.accepted();
    }

    /**
     * Warm-up rounds until the relay's JIT compilers go quiet (under a tenth of a core in the
     * last round), at least one round and at most {@code max}. On two shared cores the C2
     * compiler alone can take half a core for a minute after start; measured then, the figures
     * would be the compiler's, not the relay's.
     */
    private long warmUntilCompiled(Scenario s, RelayProcess relay, SnsSink target,
            List<String> apps, Duration max) throws InterruptedException {
        return untilCompiled(relay.pid(), max,
                () -> warmUp(s, relay, target, apps, options.warmUpRound(), 100_000));
    }

    /** One warm-up round; returns how many events it sent. */
    private interface WarmUpRound {
        long run() throws InterruptedException;
    }

    /** Rounds until process {@code pid}'s JIT compilers go quiet, or {@code max} is up. */
    private static long untilCompiled(long pid, Duration max, WarmUpRound round)
            throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        long warmed = 0;
        while (true) {
            long jit0 = RelayMonitor.jitCpuNanos(pid);
            long t0 = System.nanoTime();
            warmed += round.run();
            double jitCores = (RelayMonitor.jitCpuNanos(pid) - jit0)
                    / (double) (System.nanoTime() - t0);
            if (jitCores < 0.1 || System.nanoTime() >= end) {
                if (jitCores >= 0.1) {
                    log("    the JIT still used %.2f of a core after %d s of warm-up", jitCores,
                            max.toSeconds());
                }
                return warmed;
            }
        }
    }

    /** One scenario on a running relay; {@code rate} above zero paces the load. */
    private Result measure(Scenario s, RelayProcess relay, SnsSink target, List<String> apps,
            double rate) throws Exception {
        // A warm-up of this ingress and size, so that the measurement does not pay for
        // compiling code paths the group warm-up did not take.
        warmUntilCompiled(s, relay, target, apps, options.scenarioWarmUpTime());

        Load load = loadFor(s, relay, apps);
        int max = rate > 0 ? (int) Math.max(1, rate * options.sendTime().toSeconds())
                : maxEvents(s);
        Plan plan = rate > 0 ? Plan.paced(MEASURED_FROM, max, options.sendTime(), rate)
                : Plan.saturating(MEASURED_FROM, max, options.sendTime(), target::messages,
                        maxBacklog(s));
        target.reset(max + 1000);
        RelayMonitor monitor = new RelayMonitor(relay.pid(), relay.uri("/observe/metrics"),
                options.sampleInterval);
        Instant measuredFrom = Instant.now();
        long relay0 = monitor.cpuNanos();
        long jit0 = RelayMonitor.jitCpuNanos(relay.pid());
        long bench0 = benchCpuNanos();
        long sink0 = target.cpuNanos();
        long machine0 = RelayMonitor.machineCpuNanos();
        long wall0 = System.nanoTime();
        LoadResult result = load.run(plan);
        boolean drained = awaitDelivered(target, result.accepted());
        double wall = (System.nanoTime() - wall0) / 1e9;
        monitor.close();
        if (options.profile) {
            jfr(relay, "JFR.dump", "name=bench", "begin=" + measuredFrom, "filename="
                    + OUT.resolve("profiles").resolve(s.name() + ".jfr").toAbsolutePath());
        }
        Measurement m = Measurement.of(target.recording(), MEASURED_FROM, max,
                result.firstSendMicros());
        return new Result(s, result, m, drained, new Result.RelayFigures(
                monitor.peakHeapBytes(), monitor.peakLiveHeapBytes(), monitor.peakRssBytes(),
                monitor.rssHighWaterBytes(), (monitor.cpuNanos() - relay0) / 1e9,
                monitor.deadLetters(), monitor.meanScrapeMillis()), new Result.CpuFigures(wall,
                (benchCpuNanos() - bench0) / 1e9, (target.cpuNanos() - sink0) / 1e9,
                (RelayMonitor.machineCpuNanos() - machine0) / 1e9, target.requests(),
                (RelayMonitor.jitCpuNanos(relay.pid()) - jit0) / 1e9), rate, null);
    }

    /** A Flight Recorder command to the relay's JVM, through jcmd. */
    private static void jfr(RelayProcess relay, String... command) throws Exception {
        Files.createDirectories(OUT.resolve("profiles"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"),
                "bin", "jcmd").toString(), String.valueOf(relay.pid())));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            log("    jcmd %s failed; no profile for this scenario", command[0]);
        }
    }

    private Load loadFor(Scenario s, RelayProcess relay, List<String> apps) {
        EventTemplate events = new EventTemplate(s.size());
        String tag = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        return switch (s.ingress()) {
            case "http" -> new HttpLoad(relay.uri("/"), apps, events, options.httpInFlight, tag);
            case "jms" -> new JmsLoad(relay.brokerUrl(), RunningRelay.BROKER_USER,
                    RunningRelay.BROKER_PASSWORD, apps, events, options.jmsThreads, tag);
            default -> throw new IllegalArgumentException(s.ingress());
        };
    }

    /** The local SNS server, started on first use, behind a recording tap. */
    private SnsSink localSnsTap() throws IOException, InterruptedException {
        if (localSnsTap == null) {
            localSns = LocalSns.start();
            localSnsTopic = localSns.topicWithQueue("bench-events", "bench-consumer").topicArn();
            localSnsTap = SnsSink.forwardingTo(localSns.endpoint(), options.sinkThreads);
        }
        return localSnsTap;
    }

    /**
     * Waits until the sink has at least {@code count} messages; gives up when none arrived for
     * a while (an event stuck in retries) or at the drain limit.
     */
    private boolean awaitDelivered(SnsSink target, long count) {
        long deadline = System.nanoTime() + options.drainTime.toNanos();
        long seen = target.messages();
        long lastProgress = System.nanoTime();
        while (target.messages() < count) {
            long now = System.nanoTime();
            if (target.messages() > seen) {
                seen = target.messages();
                lastProgress = now;
            }
            if (now > deadline || now - lastProgress > options.stallTime.toNanos()) {
                log("    only %d of %d events reached the sink; stopped waiting after %d s",
                        target.messages(), count, now - lastProgress > options.stallTime
                                .toNanos() ? options.stallTime.toSeconds()
                                : options.drainTime.toSeconds());
                return false;
            }
            LockSupport.parkNanos(10_000_000);
        }
        return true;
    }

    /** Results in catalogue order, relay rates as a fraction of the SDK loop's. */
    private List<Result> withRatios(List<Scenario> plan) {
        // The better of the two loop runs: the relay is held to the loop at its fastest.
        double baseline = Math.max(find(Scenario.BASELINE).m().perSecond(),
                find(Scenario.BASELINE_AGAIN).m().perSecond());
        return plan.stream().map(s -> find(s.name())).map(r -> r.withRatio(
                r.scenario().sink().equals("sink") && baseline > 0
                        ? r.m().perSecond() / baseline : null)).toList();
    }

    private Result find(String name) {
        return results.stream().filter(r -> r.scenario().name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " has not run"));
    }

    private Path write(List<Result> table, Instant started) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("started_at", started.toString());
        doc.put("finished_at", Instant.now().toString());
        doc.put("quick", options.quick);
        doc.put("cores", Runtime.getRuntime().availableProcessors());
        doc.put("java", System.getProperty("java.version"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("send_time_s", options.sendTime().toSeconds());
        settings.put("http_in_flight", options.httpInFlight);
        settings.put("jms_producer_threads", options.jmsThreads);
        settings.put("sdk_loop_threads", options.sdkThreads);
        settings.put("sink_threads", options.sinkThreads);
        settings.put("data_dir", options.dataDir.toAbsolutePath().toString());
        settings.put("relay_properties", options.relayProperties);
        settings.put("sample_interval_ms", options.sampleInterval.toMillis());
        settings.put("load_average_at_start", loadAverage);
        doc.put("settings", settings);
        doc.put("results", table.stream().map(Result::json).toList());
        Files.createDirectories(OUT);
        Path file = OUT.resolve("results.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), doc);
        return file;
    }

    // Budgets per scenario. A phase ends at its event cap or its send time, whichever is first.

    private int maxEvents(Scenario s) {
        if (options.events > 0) {
            return options.events;
        }
        int full = s.size() <= 1024 ? 100_000 : s.size() <= 16 * 1024 ? 30_000 : 5_000;
        return options.quick ? full / 4 : full;
    }

    /**
     * Events queued in the relay beyond which sending pauses: about 32 MiB, 100 to 1,000. The
     * delivery side takes 50 events per transaction and worker, so this keeps it busy.
     */
    private static long maxBacklog(Scenario s) {
        return Math.max(100, Math.min(1_000, (32L << 20) / s.size()));
    }

    private static long benchCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void log(String format, Object... args) {
        System.err.println("bench: " + String.format(Locale.ROOT, format, args));
    }

    /** Command-line options. */
    static final class Options {
        static final String USAGE = String.join("\n",
                "usage: Benchmark [--quick] [--scenario NAME[,NAME...]] [--seconds N] [options]",
                "Exits with 3 when events the relay accepted did not reach the sink.",
                "  --quick            8 scenarios with shorter phases, about 4 minutes",
                "  --scenario NAMES   only these (comma-separated, * as a wildcard);",
                "                     the SDK loop baseline always runs",
                "  --seconds N        send phase of each scenario (default 10, quick 5)",
                "  --events N         events per scenario instead of the built-in cap (e.g. a"
                        + " soak of 1000000)",
                "  --http-in-flight N concurrent HTTP requests (default 64)",
                "  --jms-threads N    JMS producer threads (default 64)",
                "  --data-dir DIR     where the relays keep their journals (default",
                "                     target/bench/data); e.g. a tmpfs to take fsync out",
                "  --relay-property K=V  a relay setting for every relay started (repeatable)",
                "  --sample-ms N      how often the relay's memory is sampled (default 1000)",
                "  --profile          record the relay with Java Flight Recorder during each",
                "                     measurement, into target/bench/profiles/SCENARIO.jfr",
                "  --list             print the scenario names and exit");

        boolean quick;
        boolean list;
        boolean profile;
        final List<Pattern> patterns = new ArrayList<>();
        Integer seconds;
        int events;
        int httpInFlight = 64;
        // A durable send blocks until the broker's journal is synced to disk (a timed flush
        // and an fsync, about 6 ms here), so each producer thread sends about 160 events/s.
        int jmsThreads = 64;
        int sdkThreads = 4;
        int sinkThreads = 16;
        Duration drainTime = Duration.ofSeconds(120);
        Duration stallTime = Duration.ofSeconds(15);
        Duration sampleInterval = Duration.ofSeconds(1);
        Path dataDir = OUT.resolve("data");
        final Map<String, String> relayProperties = new LinkedHashMap<>();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> o.quick = true;
                    case "--list" -> o.list = true;
                    case "--profile" -> o.profile = true;
                    case "--scenario" -> {
                        for (String name : value(args, ++i).split(",")) {
                            o.patterns.add(Pattern.compile(Stream.of(name.trim().split("\\*", -1))
                                    .map(Pattern::quote).collect(Collectors.joining(".*"))));
                        }
                    }
                    case "--seconds" -> o.seconds = positive(args, ++i);
                    case "--events" -> o.events = positive(args, ++i);
                    case "--http-in-flight" -> o.httpInFlight = positive(args, ++i);
                    case "--jms-threads" -> o.jmsThreads = positive(args, ++i);
                    case "--data-dir" -> o.dataDir = Path.of(value(args, ++i));
                    case "--sample-ms" -> o.sampleInterval = Duration.ofMillis(
                            positive(args, ++i));
                    case "--relay-property" -> {
                        String kv = value(args, ++i);
                        int eq = kv.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--relay-property needs KEY=VALUE");
                        }
                        o.relayProperties.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return o;
        }

        Duration sendTime() {
            return Duration.ofSeconds(seconds != null ? seconds : quick ? 5 : 10);
        }

        /** Longest warm-up of a freshly started relay (it ends once the JIT is quiet). */
        Duration groupWarmUpTime() {
            return Duration.ofSeconds(quick ? 30 : 90);
        }

        /** Longest warm-up of each scenario's own ingress and size, on a warm relay. */
        Duration scenarioWarmUpTime() {
            return Duration.ofSeconds(quick ? 6 : 20);
        }

        /** One warm-up round, after which the JIT's share is looked at. */
        Duration warmUpRound() {
            return Duration.ofSeconds(quick ? 2 : 3);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }

        private static int positive(String[] args, int i) {
            try {
                int v = Integer.parseInt(value(args, i));
                if (v > 0) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // Reported below.
            }
            throw new IllegalArgumentException(args[i - 1] + " needs a positive number");
        }
    }
}
