package dev.snsrelay.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The relay's own counters, exported at /observe/metrics as relay_events_*_total. Tagged by app;
 * an app id that is not configured is reported as "_unknown" so that producers cannot grow the
 * number of series without bound.
 */
public final class RelayMetrics {

    public static final String UNKNOWN_APP = "_unknown";

    private final MeterRegistry registry;
    private final Predicate<String> knownApp;

    public RelayMetrics(MeterRegistry registry, Predicate<String> knownApp) {
        this.registry = registry;
        this.knownApp = knownApp;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** An event accepted into the queue; channel is http or jms. */
    public void received(String app, String channel) {
        counter("relay.events.received", "Events accepted into the queue", app)
                .tag("channel", channel).register(registry).increment();
    }

    public void published(String app) {
        counter("relay.events.published", "Events SNS accepted", app)
                .register(registry).increment();
    }

    /** A deliberate discard: oversize, event_type, disabled. */
    public void dropped(String app, String reason) {
        counter("relay.events.dropped", "Events discarded on purpose, by reason", app)
                .tag("reason", reason).register(registry).increment();
    }

    public void deadLettered(String app, String reason) {
        counter("relay.events.dead_lettered", "Events moved to the dead-letter queue", app)
                .tag("reason", reason).register(registry).increment();
    }

    /** A request refused at ingest (4xx), by code; nothing was queued. */
    public void rejected(String app, String code) {
        counter("relay.events.rejected", "Events refused at ingest, by code", app)
                .tag("code", code).register(registry).increment();
    }

    /**
     * One app's delivery counters since the relay started: received, published, and dropped,
     * dead-lettered and rejected by reason.
     */
    public Map<String, Object> appCounters(String app) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("received", count("relay.events.received", app, null, null));
        out.put("published", count("relay.events.published", app, null, null));
        out.put("dropped", byTag("relay.events.dropped", app, "reason"));
        out.put("dead_lettered", byTag("relay.events.dead_lettered", app, "reason"));
        out.put("rejected", byTag("relay.events.rejected", app, "code"));
        return out;
    }

    private Map<String, Long> byTag(String name, String app, String tagKey) {
        Map<String, Long> out = new TreeMap<>();
        for (Counter c : registry.find(name).tag("app", app).counters()) {
            out.merge(c.getId().getTag(tagKey), (long) c.count(), Long::sum);
        }
        return out;
    }

    /** Reads a counter back, summed over its other tags; for the dashboard and the tests. */
    public long count(String name, String app, String tagKey, String tagValue) {
        var search = registry.find(name).tag("app", app);
        if (tagKey != null) {
            search = search.tag(tagKey, tagValue);
        }
        return (long) search.counters().stream().mapToDouble(Counter::count).sum();
    }

    private Counter.Builder counter(String name, String description, String app) {
        String tag = app != null && knownApp.test(app) ? app : UNKNOWN_APP;
        return Counter.builder(name).description(description).tag("app", tag);
    }
}
