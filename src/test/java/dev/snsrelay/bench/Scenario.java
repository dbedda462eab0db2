package dev.snsrelay.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One benchmark scenario: how events come in, to how many apps, how large, and which SNS
 * endpoint acknowledges them.
 *
 * @param ingress "http", "jms", or "sdk" for the plain SDK loop
 * @param sink    "sink" (the benchmark's SnsSink) or "fauxqs" (the local SNS server)
 * @param relayProperties -D overrides of the relay's settings for this scenario
 */
record Scenario(String name, Kind kind, String ingress, int apps, int size, String sink,
        Map<String, String> relayProperties) {

    enum Kind {
        /** The relay at the highest rate the load generator sustains. */
        SATURATE,
        /** The relay paced at half the rate its saturating twin reached. */
        HALF_RATE,
        /** The plain AWS SDK publish loop, no relay: the baseline. */
        SDK_LOOP
    }

    static final String BASELINE = "sdk-loop-1app-1kb";
    /**
     * The baseline again, after every other scenario: the loop's rate drifts with the machine
     * (6,300 to 9,600 events/s between runs of one afternoon), so ratios are taken against the
     * faster of the two.
     */
    static final String BASELINE_AGAIN = "sdk-loop-1app-1kb-again";
    /** The saturating run the HTTP half-rate run takes its rate from. */
    static final String HALF_RATE_SOURCE = "http-1app-1kb";
    /** JMS paced at half the SDK loop's rate: the goal's latency figure, where JMS keeps up. */
    static final String HALF_SDK_RATE = "jms-1app-1kb-half-sdk-rate";

    static final int KB = 1024;

    Scenario(String name, Kind kind, String ingress, int apps, int size, String sink) {
        this(name, kind, ingress, apps, size, sink, Map.of());
    }

    /** Every scenario of a full run, in the order they run. */
    static List<Scenario> all() {
        List<Scenario> all = new ArrayList<>();
        all.add(new Scenario(BASELINE, Kind.SDK_LOOP, "sdk", 1, KB, "sink"));
        for (String ingress : List.of("http", "jms")) {
            for (int apps : List.of(1, 10, 1000)) {
                for (int kb : List.of(1, 16, 200)) {
                    all.add(new Scenario(ingress + "-" + apps + "app-" + kb + "kb",
                            Kind.SATURATE, ingress, apps, kb * KB, "sink"));
                }
            }
        }
        all.add(new Scenario("http-1app-1kb-half-rate", Kind.HALF_RATE, "http", 1, KB, "sink"));
        all.add(new Scenario(HALF_SDK_RATE, Kind.HALF_RATE, "jms", 1, KB, "sink"));
        all.add(new Scenario("http-1app-1kb-fauxqs", Kind.SATURATE, "http", 1, KB, "fauxqs"));
        // The one-Publish-per-event route, to see what batching brings.
        all.add(new Scenario("http-1app-1kb-per-message", Kind.SATURATE, "http", 1, KB, "sink",
                Map.of("relay.deliver.per-message", "true")));
        all.add(new Scenario(BASELINE_AGAIN, Kind.SDK_LOOP, "sdk", 1, KB, "sink"));
        return all;
    }

    /** For a half-rate scenario, the one whose rate it runs at half of. */
    String rateSource() {
        return name.equals(HALF_SDK_RATE) ? BASELINE : HALF_RATE_SOURCE;
    }

    /** The scenarios of --quick: one of each kind and the extremes of apps and size. */
    static List<String> quick() {
        return List.of(BASELINE, BASELINE_AGAIN, "http-1app-1kb", "jms-1app-1kb",
                "http-1000app-1kb", "http-1app-200kb", "http-1app-1kb-half-rate",
                "http-1app-1kb-fauxqs");
    }

    /** Scenarios with the same key run on one relay: same apps, sink and settings. */
    String relayGroup() {
        if (kind == Kind.SDK_LOOP) {
            return name;
        }
        return apps + "app-" + sink + (relayProperties.isEmpty() ? ""
                : "-" + Integer.toHexString(relayProperties.hashCode()));
    }

    String sizeLabel() {
        return size % KB == 0 ? size / KB + " KB" : size + " B";
    }
}
