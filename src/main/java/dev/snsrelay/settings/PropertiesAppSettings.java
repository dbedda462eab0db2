package dev.snsrelay.settings;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Apps declared in application.properties as {@code relay.apps.<app>.<field>=value}. Read once at
 * start-up; a declaration that cannot work stops the relay with the field at fault.
 */
public final class PropertiesAppSettings implements AppSettingsLookup {

    public static final String PREFIX = "relay.apps.";

    private static final Set<String> FIELDS = Set.of("sns_topic_arn", "sns_region",
            "sns_auth_type", "sns_key", "sns_secret", "sns_role_arn", "sns_endpoint",
            "event_types", "enabled", "max_message_bytes", "ingest_secret");

    private final Map<String, AppSettings> apps;

    private PropertiesAppSettings(Map<String, AppSettings> apps) {
        this.apps = Map.copyOf(apps);
    }

    /** @param properties every property whose key starts with {@link #PREFIX}, resolved */
    public static PropertiesAppSettings from(Properties properties) {
        Map<String, Map<String, String>> byApp = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            String rest = key.substring(PREFIX.length());
            int dot = rest.indexOf('.');
            if (dot <= 0) {
                throw new IllegalArgumentException("Property " + key
                        + " must be of the form relay.apps.<app>.<field>");
            }
            String app = rest.substring(0, dot);
            String field = rest.substring(dot + 1).replace('-', '_');
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("Property " + key + " names an unknown field "
                        + field + "; known fields: " + String.join(", ", new TreeSet<>(FIELDS)));
            }
            byApp.computeIfAbsent(app, a -> new TreeMap<>())
                    .put(field, properties.getProperty(key).trim());
        }

        Map<String, AppSettings> apps = new TreeMap<>();
        for (Map.Entry<String, Map<String, String>> e : byApp.entrySet()) {
            try {
                apps.put(e.getKey(), build(e.getKey(), e.getValue()));
            } catch (InvalidSettingsException ex) {
                throw new IllegalArgumentException("App " + e.getKey()
                        + " in application.properties: " + ex.getMessage(), ex);
            }
        }
        return new PropertiesAppSettings(apps);
    }

    static AppSettings build(String appId, Map<String, String> f) {
        TopicArn arn = TopicArn.parse(f.get("sns_topic_arn"));
        String region = f.get("sns_region");
        if (region != null && !region.isEmpty() && !region.equals(arn.region())) {
            throw new InvalidSettingsException("sns_region", "is " + region
                    + " but the topic ARN is in " + arn.region());
        }
        AuthType auth = AuthType.fromWire(f.getOrDefault("sns_auth_type", "keys"));
        String endpoint = blankToNull(f.get("sns_endpoint"));
        Set<String> types = Arrays.stream(f.getOrDefault("event_types", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        boolean enabled = Boolean.parseBoolean(f.getOrDefault("enabled", "true"));
        int max;
        try {
            max = Integer.parseInt(f.getOrDefault("max_message_bytes",
                    String.valueOf(AppSettings.DEFAULT_MAX_MESSAGE_BYTES)));
        } catch (NumberFormatException e) {
            throw new InvalidSettingsException("max_message_bytes", "must be a whole number");
        }
        return new AppSettings(appId, arn, auth, blankToNull(f.get("sns_key")),
                blankToNull(f.get("sns_secret")), blankToNull(f.get("sns_role_arn")), endpoint,
                types, enabled, max, blankToNull(f.get("ingest_secret")));
    }

    @Override
    public Optional<AppSettings> find(String appId) {
        return Optional.ofNullable(apps.get(appId));
    }

    public Map<String, AppSettings> all() {
        return apps;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
