package dev.snsrelay.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.CreateTopicRequest;
import software.amazon.awssdk.services.sns.model.SubscribeRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The local SNS-compatible server (fauxqs, started by tools/local-sns/start.sh) on a free port of
 * 127.0.0.1, with SDK clients to create topics and read what reached their SQS subscribers.
 */
public final class LocalSns implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("local-sns ready port=(\\d+) .*");
    private static final AwsBasicCredentials TEST_CREDENTIALS =
            AwsBasicCredentials.create("AKIATESTSETUP", "test-setup-secret");

    private final Process process;
    private final int port;
    private final SnsClient sns;
    private final SqsClient sqs;

    private LocalSns(Process process, int port) {
        this.process = process;
        this.port = port;
        this.sns = SnsClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(TEST_CREDENTIALS)).build();
        this.sqs = SqsClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(TEST_CREDENTIALS)).build();
    }

    public static LocalSns start() throws IOException, InterruptedException {
        Path script = Path.of("tools/local-sns/start.sh").toAbsolutePath();
        Process p = new ProcessBuilder(script.toString(), "--port", "0", "--exit-with-stdin")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(
                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        // The first start may install fauxqs with npm, which takes a while.
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        String ready;
        try {
            ready = line.get(240, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("local SNS server did not start", e);
        }
        Matcher m = ready == null ? null : READY.matcher(ready);
        if (m == null || !m.matches()) {
            p.destroyForcibly();
            throw new IllegalStateException("local SNS server did not start: " + ready);
        }
        return new LocalSns(p, Integer.parseInt(m.group(1)));
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Creates a topic and an SQS queue subscribed to it with raw delivery. */
    public Subscription topicWithQueue(String topicName, String queueName) {
        String topicArn = sns.createTopic(CreateTopicRequest.builder().name(topicName).build())
                .topicArn();
        String queueUrl = sqs.createQueue(b -> b.queueName(queueName)).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(SubscribeRequest.builder().topicArn(topicArn).protocol("sqs")
                .endpoint(queueArn)
                .attributes(java.util.Map.of("RawMessageDelivery", "true")).build());
        return new Subscription(topicArn, queueUrl, sqs);
    }

    @Override
    public void close() {
        sns.close();
        sqs.close();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
