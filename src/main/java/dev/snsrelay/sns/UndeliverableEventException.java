package dev.snsrelay.sns;

/** An event the relay itself knows cannot be delivered, whatever SNS does: no retry. */
public class UndeliverableEventException extends RuntimeException {

    private final String code;

    public UndeliverableEventException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
