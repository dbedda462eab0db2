package dev.snsrelay.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * The baseline: what a plain AWS SDK v2 publish loop achieves against the same sink, one message
 * per request from a few threads, with the same HTTP client and the same message attribute the
 * relay sends. The relay's rate is reported as a fraction of this one.
 */
final class SdkLoop implements Load {

    private final URI endpoint;
    private final String topicArn;
    private final EventTemplate events;
    private final int threads;

    SdkLoop(URI endpoint, String topicArn, EventTemplate events, int threads) {
        this.endpoint = endpoint;
        this.topicArn = topicArn;
        this.events = events;
        this.threads = threads;
    }

    @Override
    public LoadResult run(Plan plan) throws InterruptedException {
        LoadCounters c = new LoadCounters();
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + plan.maxTime().toNanos();
        Map<String, MessageAttributeValue> attributes = Map.of("event_type",
                MessageAttributeValue.builder().dataType("String").stringValue("message.new")
                        .build());
        try (SnsClient sns = SnsClient.builder()
                .httpClient(ApacheHttpClient.builder().maxConnections(64).build())
                .endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIABENCHLOOP", "bench-loop-secret")))
                .build()) {
            Senders.run(threads, "bench-sdk-loop", deadline, 60_000, c, () -> {
                for (long i = next.getAndIncrement(); i < plan.maxEvents()
                        && plan.awaitTurn(i, c.sent.get(), start, deadline);
                        i = next.getAndIncrement()) {
                    long sentAt = SnsSink.nowMicros();
                    String message = new String(events.render(plan.firstSeq() + i, sentAt),
                            StandardCharsets.US_ASCII);
                    c.sending(sentAt);
                    try {
                        sns.publish(b -> b.topicArn(topicArn).message(message)
                                .messageAttributes(attributes));
                        c.accepted();
                    } catch (RuntimeException e) {
                        c.failed(e.toString());
                    }
                }
            });
        }
        return c.result();
    }
}
