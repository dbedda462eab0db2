package dev.snsrelay.ingest;

/** An event body that is not a single well-formed JSON object. */
public class InvalidEventException extends RuntimeException {

    private final String code;

    public InvalidEventException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** invalid_json, not_an_object, invalid_utf8, empty_body, too_deep */
    public String code() {
        return code;
    }
}
