package dev.snsrelay.admin;

/** An admin API request refused with a 4xx; the message says what is wrong, never a secret. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;

    public ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public ApiException(int status, String code, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The settings field at fault, for the dashboard to show the error next to it. */
    public String field() {
        return field;
    }
}
