package dev.snsrelay.settings;

/** A setting that cannot be used as given; the message never repeats a secret value. */
public class InvalidSettingsException extends RuntimeException {

    private final String field;

    public InvalidSettingsException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
