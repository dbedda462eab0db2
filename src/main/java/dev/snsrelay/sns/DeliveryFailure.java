package dev.snsrelay.sns;

/**
 * Why an event was not published.
 *
 * @param kind    retry or dead-letter
 * @param code    a stable code: the AWS error code, or one of the relay's own (UnknownApp, ...)
 * @param message a short text for operators; never a secret or an event body
 */
public record DeliveryFailure(FailureKind kind, String code, String message) {

    private static final int MAX_MESSAGE = 500;

    public DeliveryFailure {
        if (message == null) {
            message = "";
        } else if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE);
        }
    }

    public boolean retryable() {
        return kind == FailureKind.RETRY;
    }
}
