package dev.snsrelay.settings;

/**
 * Takes an app's credentials out of a text that came from elsewhere (an AWS error message may
 * quote the access key) before it is logged, stored with a dead letter, or returned.
 */
public final class Redaction {

    private Redaction() {
    }

    public static String redact(String text, AppSettings settings) {
        if (text == null || settings == null) {
            return text;
        }
        String out = text;
        for (String secret : new String[] {settings.secretKey(), settings.ingestSecret()}) {
            if (secret != null && !secret.isEmpty()) {
                out = out.replace(secret, "********");
            }
        }
        if (settings.accessKey() != null && !settings.accessKey().isEmpty()) {
            out = out.replace(settings.accessKey(), maskKey(settings.accessKey()));
        }
        return out;
    }

    /** An access key as shown back to users: enough to recognise it, not to use it. */
    public static String maskKey(String key) {
        if (key == null) {
            return null;
        }
        if (key.length() < 12) {
            return "*".repeat(key.length());
        }
        return key.substring(0, 4) + "*".repeat(key.length() - 8)
                + key.substring(key.length() - 4);
    }
}
