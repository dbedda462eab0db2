package dev.snsrelay.ingest;

/** A request the ingest route refuses, with the HTTP status and error code to answer with. */
public class IngestRejectedException extends RuntimeException {

    private final int status;
    private final String code;

    public IngestRejectedException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
