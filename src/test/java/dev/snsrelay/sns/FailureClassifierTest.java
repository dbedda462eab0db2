package dev.snsrelay.sns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sns.model.ThrottledException;

class FailureClassifierTest {

    private final FailureClassifier classifier = FailureClassifier.defaults();

    @ParameterizedTest
    @MethodSource("permanent")
    void errors_that_retrying_cannot_fix_are_dead_lettered_with_their_code(Throwable error,
            String code) {
        DeliveryFailure failure = classifier.classify(error);

        assertThat(failure.kind()).isEqualTo(FailureKind.DEAD_LETTER);
        assertThat(failure.code()).isEqualTo(code);
    }

    static Stream<Arguments> permanent() {
        return Stream.of(
                Arguments.of(NotFoundException.builder().statusCode(404)
                        .awsErrorDetails(details("NotFound", "Topic does not exist")).build(),
                        "NotFound"),
                Arguments.of(aws(403, "AuthorizationError", "not authorized"),
                        "AuthorizationError"),
                Arguments.of(aws(400, "InvalidParameter", "Invalid parameter: Message"),
                        "InvalidParameter"),
                Arguments.of(aws(400, "KMSDisabled", "key disabled"), "KMSDisabled"),
                Arguments.of(aws(403, "InvalidClientTokenId", "bad key"), "InvalidClientTokenId"),
                // An unlisted 4xx gets the same answer every time.
                Arguments.of(aws(400, "SomethingNew", "new error"), "SomethingNew"),
                Arguments.of(new UndeliverableEventException("UnknownApp", "no settings"),
                        "UnknownApp"));
    }

    @ParameterizedTest
    @MethodSource("retryable")
    void transient_errors_are_retried(Throwable error, String code) {
        DeliveryFailure failure = classifier.classify(error);

        assertThat(failure.kind()).isEqualTo(FailureKind.RETRY);
        assertThat(failure.code()).isEqualTo(code);
    }

    static Stream<Arguments> retryable() {
        return Stream.of(
                Arguments.of(aws(400, "Throttling", "Rate exceeded"), "Throttling"),
                Arguments.of(ThrottledException.builder().statusCode(429)
                        .awsErrorDetails(details("Throttled", "slow down")).build(), "Throttled"),
                Arguments.of(aws(500, "InternalError", "internal"), "InternalError"),
                // Any 5xx, listed code or not: the next attempt may well succeed.
                Arguments.of(aws(500, "SomethingUnlisted", "oops"), "SomethingUnlisted"),
                Arguments.of(aws(502, "BadGateway", "proxy"), "BadGateway"),
                Arguments.of(aws(503, null, "unavailable"), "HTTP503"),
                Arguments.of(aws(429, "TooMany", "slow down"), "TooMany"),
                Arguments.of(aws(403, "ExpiredToken", "session expired"), "ExpiredToken"),
                Arguments.of(SdkClientException.create("Unable to execute HTTP request"),
                        "ClientError"),
                Arguments.of(ApiCallTimeoutException.create(20_000), "ClientError"),
                Arguments.of(new IllegalStateException("something unforeseen"),
                        "IllegalStateException"));
    }

    @Test
    void cause_is_found_inside_a_camel_wrapper() {
        CamelExecutionException wrapped = new CamelExecutionException("publish failed", null,
                new RuntimeException(aws(404, "NotFound", "Topic does not exist")));

        DeliveryFailure failure = classifier.classify(wrapped);

        assertThat(failure.kind()).isEqualTo(FailureKind.DEAD_LETTER);
        assertThat(failure.code()).isEqualTo("NotFound");
        assertThat(failure.message()).isEqualTo("Topic does not exist");
    }

    @Test
    void message_is_one_short_line() {
        String multiLine = "first line\nsecond line with details";
        String longLine = "x".repeat(2_000);

        assertThat(classifier.classify(SdkClientException.create(multiLine)).message())
                .isEqualTo("first line");
        assertThat(classifier.classify(aws(400, "InvalidParameter", longLine)).message())
                .hasSize(500);
    }

    @Test
    void configured_codes_replace_the_defaults() {
        FailureClassifier custom = new FailureClassifier(java.util.Set.of("Throttling"),
                java.util.Set.of("NotFound"));

        assertThat(custom.classify(aws(404, "NotFound", "gone")).kind())
                .isEqualTo(FailureKind.RETRY);
        // A throttling code is retried whatever the lists say: the SDK recognises it.
        assertThat(custom.classify(aws(400, "Throttling", "slow")).kind())
                .isEqualTo(FailureKind.RETRY);
    }

    private static SnsException aws(int status, String code, String message) {
        return (SnsException) SnsException.builder().statusCode(status)
                .awsErrorDetails(details(code, message)).message(message).build();
    }

    private static AwsErrorDetails details(String code, String message) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(message)
                .serviceName("Sns").build();
    }
}
