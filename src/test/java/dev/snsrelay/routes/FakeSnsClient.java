package dev.snsrelay.routes;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sns.model.SnsException;

/**
 * An SNS client that answers from memory: it records every PublishRequest exactly as
 * camel-aws2-sns built it, so a test sees what SNS would have received, and it can be told to
 * fail the next publishes the way the AWS SDK does.
 */
final class FakeSnsClient implements SnsClient {

    private final List<PublishRequest> attempts = new CopyOnWriteArrayList<>();
    private final List<PublishRequest> accepted = new CopyOnWriteArrayList<>();
    private final Queue<RuntimeException> failures = new ConcurrentLinkedQueue<>();

    /** Makes the next publish throw this, after recording the request. */
    void failNextWith(RuntimeException failure) {
        failures.add(failure);
    }

    /** Every publish the relay tried, failed ones included. */
    List<PublishRequest> attempts() {
        return new ArrayList<>(attempts);
    }

    /** The publishes SNS accepted: what subscribers would get. */
    List<PublishRequest> published() {
        return new ArrayList<>(accepted);
    }

    @Override
    public PublishResponse publish(PublishRequest request) {
        attempts.add(request);
        RuntimeException failure = failures.poll();
        if (failure != null) {
            throw failure;
        }
        accepted.add(request);
        return PublishResponse.builder().messageId(UUID.randomUUID().toString()).build();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
        // Nothing to release; the relay must still be free to call it.
    }

    /** An SNS error reply as the SDK surfaces it: status, AWS error code and message. */
    static SnsException awsError(int status, String code, String message) {
        return (SnsException) SnsException.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(message)
                        .serviceName(SERVICE_NAME)
                        .build())
                .message(message)
                .build();
    }
}
