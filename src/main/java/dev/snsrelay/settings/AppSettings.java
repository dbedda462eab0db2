package dev.snsrelay.settings;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One chat app's SNS delivery settings, validated. Field names on the wire follow the ones chat
 * service users know (sns_topic_arn, sns_auth_type, ...).
 *
 * @param appId           the app's id, as it appears in the ingest URL and the JMS appId property
 * @param topicArn        where its events are published
 * @param authType        how the relay authenticates
 * @param accessKey       for {@link AuthType#KEYS}
 * @param secretKey       for {@link AuthType#KEYS}; write-only, never printed
 * @param roleArn         for {@link AuthType#ROLE}
 * @param endpoint        an SNS endpoint override (a local SNS-compatible server); null for the
 *                        relay's default (relay.sns.endpoint, or Amazon SNS)
 * @param eventTypes      types to deliver; empty means every type, including future ones
 * @param enabled         false discards the app's events (counted)
 * @param maxMessageBytes the size limit of one publish for this app's topic
 * @param ingestSecret    when set, events posted over HTTP must carry X-Signature, the hex
 *                        HMAC-SHA256 of the body with this secret; write-only, never printed
 */
public record AppSettings(
        String appId,
        TopicArn topicArn,
        AuthType authType,
        String accessKey,
        String secretKey,
        String roleArn,
        String endpoint,
        Set<String> eventTypes,
        boolean enabled,
        int maxMessageBytes,
        String ingestSecret) {

    /** SNS's own limit for a standard topic. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 262_144;
    /** The largest limit a topic with a raised MaximumMessageSize can have. */
    public static final int LARGEST_MAX_MESSAGE_BYTES = 1_048_576;

    private static final int MIN_SECRET = 8;
    private static final int MIN_INGEST_SECRET = 16;
    private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
    private static final Pattern ROLE_ARN = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov):iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}");

    public AppSettings {
        Objects.requireNonNull(topicArn, "topicArn");
        Objects.requireNonNull(authType, "authType");
        requireValidAppId(appId);
        eventTypes = Set.copyOf(eventTypes == null ? Set.of() : eventTypes);
        for (String type : eventTypes) {
            if (!EVENT_TYPE.matcher(type).matches()) {
                throw new InvalidSettingsException("event_types",
                        "contains an invalid event type name: letters, digits and . _ : - only");
            }
        }
        switch (authType) {
            case KEYS -> {
                if (isBlank(accessKey) || isBlank(secretKey)) {
                    throw new InvalidSettingsException("sns_key",
                            "and sns_secret are both required when sns_auth_type is keys");
                }
                // Real secret keys are 40 characters; a very short one could not be told apart
                // from ordinary text when error messages are redacted.
                if (secretKey.length() < MIN_SECRET) {
                    throw new InvalidSettingsException("sns_secret",
                            "must be at least " + MIN_SECRET + " characters");
                }
            }
            case ROLE -> {
                if (isBlank(roleArn) || !ROLE_ARN.matcher(roleArn).matches()) {
                    throw new InvalidSettingsException("sns_role_arn",
                            "must be an IAM role ARN when sns_auth_type is role");
                }
            }
            case RESOURCE -> {
                // The relay's own credentials chain; nothing per app.
            }
        }
        if (ingestSecret != null && ingestSecret.length() < MIN_INGEST_SECRET) {
            throw new InvalidSettingsException("ingest_secret",
                    "must be at least " + MIN_INGEST_SECRET + " characters");
        }
        if (maxMessageBytes < 1 || maxMessageBytes > LARGEST_MAX_MESSAGE_BYTES) {
            throw new InvalidSettingsException("max_message_bytes",
                    "must be between 1 and " + LARGEST_MAX_MESSAGE_BYTES);
        }
    }

    public static void requireValidAppId(String appId) {
        if (appId == null || !APP_ID.matcher(appId).matches()) {
            throw new InvalidSettingsException("app",
                    "id must be 1 to 64 letters, digits, '_' or '-'");
        }
    }

    public static boolean isValidAppId(String appId) {
        return appId != null && APP_ID.matcher(appId).matches();
    }

    /** Whether an event of this type goes out; events without a type go out unless filtered. */
    public boolean delivers(String eventType) {
        return eventTypes.isEmpty() || (eventType != null && eventTypes.contains(eventType));
    }

    @Override
    public String toString() {
        // Never print the secret, and only a hint of the key.
        return "AppSettings[app=" + appId + ", topic=" + topicArn + ", auth=" + authType.wireName()
                + ", enabled=" + enabled + "]";
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
