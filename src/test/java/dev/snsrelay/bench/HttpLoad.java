package dev.snsrelay.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Posts events to {@code /v1/apps/{app}/events} with the JDK's asynchronous HTTP client, at most
 * {@code inFlight} requests at a time, apps in turn. Each event carries a unique X-Webhook-Id, as
 * a webhook sender's would, so the relay's duplicate detection is part of what is measured.
 */
final class HttpLoad implements Load {

    private final URI base;
    private final List<String> apps;
    private final EventTemplate events;
    private final int inFlight;
    private final String runTag;
    // HTTP/1.1 as webhook senders speak it; the default would try an h2c upgrade first.
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    HttpLoad(URI base, List<String> apps, EventTemplate events, int inFlight, String runTag) {
        this.base = base;
        this.apps = apps;
        this.events = events;
        this.inFlight = inFlight;
        this.runTag = runTag;
    }

    @Override
    public LoadResult run(Plan plan) throws InterruptedException {
        LoadCounters c = new LoadCounters();
        Semaphore permits = new Semaphore(inFlight);
        long start = System.nanoTime();
        long deadline = start + plan.maxTime().toNanos();
        for (int i = 0; i < plan.maxEvents(); i++) {
            if (!plan.awaitTurn(i, c.sent.get(), start, deadline)
                    || !permits.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                break;
            }
            long seq = plan.firstSeq() + i;
            String app = apps.get((int) (seq % apps.size()));
            long sentAt = SnsSink.nowMicros();
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/apps/" + app
                            + "/events"))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .header("X-Webhook-Id", runTag + "-" + seq)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(events.render(seq, sentAt)))
                    .build();
            c.sending(sentAt);
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> {
                        if (error != null) {
                            c.failed(error.toString());
                        } else if (response.statusCode() == 202) {
                            c.accepted();
                        } else {
                            c.failed("HTTP " + response.statusCode());
                        }
                        permits.release();
                    });
        }
        // Every request has a timeout, so the last ones complete within it.
        if (!permits.tryAcquire(inFlight, 90, TimeUnit.SECONDS)) {
            c.failed("requests still in flight after 90 s");
        }
        return c.result();
    }
}
