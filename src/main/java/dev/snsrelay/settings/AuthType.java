package dev.snsrelay.settings;

import java.util.Locale;

/** How the relay authenticates to an app's SNS topic. */
public enum AuthType {
    /** A static access key and secret given for the app. */
    KEYS,
    /** The relay's own AWS identity, allowed by the topic's resource policy. */
    RESOURCE,
    /** A role assumed through STS, with the app id as external id. */
    ROLE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AuthType fromWire(String value) {
        for (AuthType t : values()) {
            if (t.wireName().equals(value)) {
                return t;
            }
        }
        throw new InvalidSettingsException("sns_auth_type",
                "must be one of keys, resource, role");
    }
}
