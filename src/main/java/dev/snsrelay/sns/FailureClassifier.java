package dev.snsrelay.sns;

import java.util.Set;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Sorts publish failures into those worth retrying (throttling, 5xx, timeouts, network) and those
 * that cannot succeed by retrying (unknown topic, authorization, bad parameter, KMS key unusable,
 * unknown app). Anything not recognised is retried: the attempt limit still ends it in the
 * dead-letter queue, and nothing is lost on a guess.
 */
public final class FailureClassifier {

    private final Set<String> permanentCodes;
    private final Set<String> retryableCodes;

    /**
     * @param permanentCodes AWS error codes that dead-letter at once
     * @param retryableCodes AWS error codes retried even though their HTTP status is a 4xx
     */
    public FailureClassifier(Set<String> permanentCodes, Set<String> retryableCodes) {
        this.permanentCodes = Set.copyOf(permanentCodes);
        this.retryableCodes = Set.copyOf(retryableCodes);
    }

    public static FailureClassifier defaults() {
        return new FailureClassifier(
                Set.of("NotFound", "AuthorizationError", "InvalidParameter",
                        "InvalidParameterValue", "ParameterValueInvalid", "KMSDisabled",
                        "KMSNotFound", "KMSInvalidState", "KMSAccessDenied", "KMSOptInRequired",
                        "InvalidClientTokenId", "SignatureDoesNotMatch", "AccessDenied",
                        "InvalidSecurity", "ValidationError", "EndpointDisabled"),
                Set.of("Throttling", "ThrottlingException", "Throttled", "KMSThrottling",
                        "RequestTimeout", "RequestTimeoutException", "ExpiredToken",
                        "ServiceUnavailable", "InternalError", "InternalFailure"));
    }

    /** These settings with the permanent and/or retryable codes replaced where given. */
    public FailureClassifier with(Set<String> permanent, Set<String> retryable) {
        return new FailureClassifier(permanent.isEmpty() ? permanentCodes : permanent,
                retryable.isEmpty() ? retryableCodes : retryable);
    }

    public DeliveryFailure classify(Throwable failure) {
        Throwable t = failure;
        while (t != null) {
            if (t instanceof UndeliverableEventException u) {
                return new DeliveryFailure(FailureKind.DEAD_LETTER, u.code(), u.getMessage());
            }
            if (t instanceof AwsServiceException aws) {
                return classifyAws(aws);
            }
            if (t instanceof SdkClientException sdk) {
                return new DeliveryFailure(FailureKind.RETRY, "ClientError",
                        firstLine(sdk.getMessage()));
            }
            t = t.getCause();
        }
        return new DeliveryFailure(FailureKind.RETRY, failure.getClass().getSimpleName(),
                firstLine(failure.getMessage()));
    }

    /**
     * A failed entry of a PublishBatch, which arrives inside an HTTP 200: retried when its code
     * says so or the fault is on the server's side; dead-lettered when the sender is at fault.
     */
    public DeliveryFailure classifyEntry(String code, String message, boolean senderFault) {
        String c = code == null ? "Unknown" : code;
        FailureKind kind;
        if (retryableCodes.contains(c)) {
            kind = FailureKind.RETRY;
        } else if (permanentCodes.contains(c) || senderFault) {
            kind = FailureKind.DEAD_LETTER;
        } else {
            kind = FailureKind.RETRY;
        }
        return new DeliveryFailure(kind, c, firstLine(message));
    }

    private DeliveryFailure classifyAws(AwsServiceException aws) {
        String code = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
        String text = aws.awsErrorDetails() == null ? aws.getMessage()
                : aws.awsErrorDetails().errorMessage();
        int status = aws.statusCode();
        if (code == null) {
            code = "HTTP" + status;
        }
        FailureKind kind;
        if (retryableCodes.contains(code) || aws.isThrottlingException()) {
            kind = FailureKind.RETRY;
        } else if (permanentCodes.contains(code)) {
            kind = FailureKind.DEAD_LETTER;
        } else if (status >= 500 || status == 429 || status == 0) {
            kind = FailureKind.RETRY;
        } else {
            // Any other 4xx: the same request gets the same answer.
            kind = FailureKind.DEAD_LETTER;
        }
        return new DeliveryFailure(kind, code, firstLine(text));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
