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
        log("%d scenarios%s: %s", plan.size(), options.quick ? " (quick)" : "",
                plan.stream().map(Scenario::name).collect(Collectors.joining(", ")));
        sink = SnsSink.start(options.sinkThreads);
        try {
            for (int i = 0; i < plan.size(); i++) {
                Scenario s = plan.get(i);
                log("[%d/%d] %s", i + 1, plan.size(), s.name());
                Result r = switch (s.kind()) {
                    case SDK_LOOP -> sdkLoop(s);
                    case SATURATE -> relay(s, 0);
                    case HALF_RATE -> relay(s, find(Scenario.HALF_RATE_SOURCE)
                            .m().perSecond() / 2);
                };
                results.add(r);
                log("    %s", r.row().trim());
                double other = r.otherCpuSeconds() / r.wallSeconds();
                if (other > 0.25) {
                    log("    note: other processes kept %.1f of the cores busy meanwhile", other);
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
        List<Result> table = withRatios();
        System.out.println();
        System.out.println(Result.header());
        table.forEach(r -> System.out.println(r.row()));
        Path json = write(table, started);
        System.out.println();
        System.out.println("Written to " + json + " (" + Duration.between(started,
                Instant.now()).toSeconds() + " s)");
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
        if (names.contains("http-1app-1kb-half-rate")) {
            names.add(Scenario.HALF_RATE_SOURCE);
        }
        return Scenario.all().stream().filter(s -> names.contains(s.name())).toList();
    }

    private Result sdkLoop(Scenario s) throws InterruptedException {
        EventTemplate events = new EventTemplate(s.size());
        SdkLoop loop = new SdkLoop(URI.create(sink.endpoint()), ACCOUNT_ARN + "bench-sdk-loop",
                events, options.sdkThreads);
        sink.reset(warmUpEvents(s) + 1000);
        loop.run(new Plan(0, warmUpEvents(s), options.warmUpTime(), 0, null, 0));

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
        return new Result(s, load, m, true, null, null, null, wall, null,
                (benchCpuNanos() - bench0) / 1e9, (sink.cpuNanos() - sink0) / 1e9,
                (RelayMonitor.machineCpuNanos() - machine0) / 1e9, 0, null);
    }

    /** One relay scenario; {@code rate} above zero paces the load to that many events/s. */
    private Result relay(Scenario s, double rate) throws Exception {
        SnsSink target = s.sink().equals("fauxqs") ? localSnsTap() : sink;
        List<String> apps = IntStream.range(0, s.apps()).mapToObj(i -> "bench-" + i).toList();
        Path data = OUT.resolve("data").resolve(s.name());
        deleteTree(data);
        try (RelayProcess relay = new RelayProcess(data.toAbsolutePath(), target.endpoint())) {
            for (String app : apps) {
                relay.app(app, s.sink().equals("fauxqs") ? localSnsTopic : ACCOUNT_ARN + app);
            }
            s.relayProperties().forEach(relay::property);
            long t0 = System.nanoTime();
            relay.start();
            long t1 = System.nanoTime();
            Load load = loadFor(s, relay, apps);
            long backlog = maxBacklog(s);

            // Warm-up: JIT, connection pools, and one SNS client per app, outside the figures.
            int warm = warmUpEvents(s);
            target.reset(warm + 1000);
            LoadResult w = load.run(Plan.saturating(0, warm, options.warmUpTime(),
                    target::messages, backlog));
            awaitDelivered(target, w.accepted());
            long t2 = System.nanoTime();

            int max = rate > 0 ? (int) Math.max(1, rate * options.sendTime().toSeconds())
                    : maxEvents(s);
            Plan plan = rate > 0 ? Plan.paced(MEASURED_FROM, max, options.sendTime(), rate)
                    : Plan.saturating(MEASURED_FROM, max, options.sendTime(), target::messages,
                            backlog);
            target.reset(max + 1000);
            try (RelayMonitor monitor = new RelayMonitor(relay.pid(),
                    relay.uri("/observe/metrics"), options.sampleInterval)) {
                long relay0 = monitor.cpuNanos();
                long bench0 = benchCpuNanos();
                long sink0 = target.cpuNanos();
                long machine0 = RelayMonitor.machineCpuNanos();
                long wall0 = System.nanoTime();
                LoadResult result = load.run(plan);
                boolean drained = awaitDelivered(target, result.accepted());
                double wall = (System.nanoTime() - wall0) / 1e9;
                Measurement m = Measurement.of(target.recording(), MEASURED_FROM, max,
                        result.firstSendMicros());
                Result r = new Result(s, result, m, drained, monitor.peakHeapBytes(),
                        monitor.peakLiveHeapBytes(), monitor.peakRssBytes(), wall,
                        (monitor.cpuNanos() - relay0) / 1e9, (benchCpuNanos() - bench0) / 1e9,
                        (target.cpuNanos() - sink0) / 1e9,
                        (RelayMonitor.machineCpuNanos() - machine0) / 1e9, rate, null);
                // The data folder is thrown away: no need to wait for a graceful stop.
                relay.kill();
                log("    start %.1f s, warm-up %.1f s (%d events), measure and drain %.1f s",
                        (t1 - t0) / 1e9, (t2 - t1) / 1e9, w.accepted(), wall);
                return r;
            }
        } finally {
            deleteTree(data);
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

    /** Waits, bounded, until the sink has at least {@code count} messages. */
    private boolean awaitDelivered(SnsSink target, long count) {
        long deadline = System.nanoTime() + options.drainTime.toNanos();
        while (target.messages() < count) {
            if (System.nanoTime() > deadline) {
                log("    only %d of %d events reached the sink within %d s", target.messages(),
                        count, options.drainTime.toSeconds());
                return false;
            }
            LockSupport.parkNanos(10_000_000);
        }
        return true;
    }

    private List<Result> withRatios() {
        Result base = find(Scenario.BASELINE);
        double baseline = base.m().perSecond();
        return results.stream().map(r -> r.withRatio(
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
        int full = s.size() <= 1024 ? 60_000 : s.size() <= 16 * 1024 ? 30_000 : 5_000;
        return options.quick ? full / 4 : full;
    }

    private int warmUpEvents(Scenario s) {
        // Every app once at least, so each has its SNS client before the measurement.
        return Math.max(s.apps(), s.size() > 16 * 1024 ? 300 : 1_000);
    }

    /** Events queued in the relay beyond which sending pauses: about 64 MiB, 200 to 2,000. */
    private static long maxBacklog(Scenario s) {
        return Math.max(200, Math.min(2_000, (64L << 20) / s.size()));
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
                "usage: Benchmark [--quick] [--scenario NAME[,NAME...]] [--seconds N] [--list]",
                "  --quick            a 1-2 minute run of a few scenarios",
                "  --scenario NAMES   only these (comma-separated, * as a wildcard);",
                "                     the SDK loop baseline always runs",
                "  --seconds N        send phase of each scenario (default 12, quick 5)",
                "  --http-in-flight N concurrent HTTP requests (default 64)",
                "  --jms-threads N    JMS producer threads (default 8)",
                "  --list             print the scenario names and exit");

        boolean quick;
        boolean list;
        final List<Pattern> patterns = new ArrayList<>();
        Integer seconds;
        int httpInFlight = 64;
        int jmsThreads = 8;
        int sdkThreads = 4;
        int sinkThreads = 16;
        Duration drainTime = Duration.ofSeconds(120);
        Duration sampleInterval = Duration.ofMillis(250);

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> o.quick = true;
                    case "--list" -> o.list = true;
                    case "--scenario" -> {
                        for (String name : value(args, ++i).split(",")) {
                            o.patterns.add(Pattern.compile(Stream.of(name.trim().split("\\*", -1))
                                    .map(Pattern::quote).collect(Collectors.joining(".*"))));
                        }
                    }
                    case "--seconds" -> o.seconds = positive(args, ++i);
                    case "--http-in-flight" -> o.httpInFlight = positive(args, ++i);
                    case "--jms-threads" -> o.jmsThreads = positive(args, ++i);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return o;
        }

        Duration sendTime() {
            return Duration.ofSeconds(seconds != null ? seconds : quick ? 5 : 12);
        }

        Duration warmUpTime() {
            return Duration.ofSeconds(quick ? 4 : 8);
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
