package dev.snsrelay.settings;

/**
 * The settings database could not be read or written. Messages name the app and the database
 * error, never an access key or a secret.
 */
public class SettingsStoreException extends RuntimeException {

    public SettingsStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
