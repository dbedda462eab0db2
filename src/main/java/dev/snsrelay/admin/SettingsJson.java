package dev.snsrelay.admin;

import java.net.URI;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.snsrelay.settings.AppSettings;
import dev.snsrelay.settings.AuthType;
import dev.snsrelay.settings.InvalidSettingsException;
import dev.snsrelay.settings.Redaction;
import dev.snsrelay.settings.TopicArn;

/**
 * App settings on the wire. Reading applies a partial update (omitted fields keep their values, a
 * field set to null is cleared); writing never shows the secret and only a masked key.
 */
public final class SettingsJson {

    static final Set<String> FIELDS = Set.of("sns_topic_arn", "sns_region", "sns_auth_type",
            "sns_key", "sns_secret", "sns_role_arn", "sns_endpoint", "event_types", "enabled",
            "max_message_bytes", "ingest_secret");

    private final ObjectMapper mapper;
    private final String relayPrincipal;

    /** @param relayPrincipal the relay's own AWS principal ARN, for policies; blank if unknown */
    public SettingsJson(ObjectMapper mapper, String relayPrincipal) {
        this.mapper = mapper;
        this.relayPrincipal = relayPrincipal == null || relayPrincipal.isBlank()
                ? null : relayPrincipal.trim();
    }

    /** The settings that result from applying {@code patch} to {@code current} (may be null). */
    public AppSettings apply(String appId, AppSettings current, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new ApiException(400, "invalid_body", "the body must be a JSON object");
        }
        for (Iterator<String> names = patch.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new ApiException(400, "unknown_field", "unknown field " + name, name);
            }
        }

        String arn = text(patch, "sns_topic_arn", current == null ? null
                : current.topicArn().value());
        if (arn == null) {
            throw new ApiException(400, "invalid_settings", "sns_topic_arn is required",
                    "sns_topic_arn");
        }
        String key = text(patch, "sns_key", current == null ? null : current.accessKey());
        String secret = text(patch, "sns_secret", current == null ? null : current.secretKey());
        String role = text(patch, "sns_role_arn", current == null ? null : current.roleArn());
        String endpoint = text(patch, "sns_endpoint", current == null ? null
                : current.endpoint());
        String authName = text(patch, "sns_auth_type", current != null
                ? current.authType().wireName() : key != null ? "keys" : "resource");
        Set<String> types = eventTypes(patch, current);
        boolean enabled = bool(patch, "enabled", current == null || current.enabled());
        String ingestSecret = text(patch, "ingest_secret", current == null ? null
                : current.ingestSecret());
        int max = integer(patch, "max_message_bytes", current == null
                ? AppSettings.DEFAULT_MAX_MESSAGE_BYTES : current.maxMessageBytes());

        try {
            TopicArn topic = TopicArn.parse(arn);
            String region = text(patch, "sns_region", null);
            if (region != null && !region.equals(topic.region())) {
                throw new InvalidSettingsException("sns_region", "is " + region
                        + " but the topic ARN is in " + topic.region());
            }
            AuthType auth = AuthType.fromWire(authName == null ? "keys" : authName);
            if (auth != AuthType.KEYS) {
                // Credentials of an auth type no longer in use are not kept around.
                key = null;
                secret = null;
            }
            if (auth != AuthType.ROLE) {
                role = null;
            }
            if (endpoint != null) {
                checkEndpoint(endpoint);
            }
            return new AppSettings(appId, topic, auth, key, secret, role, endpoint, types,
                    enabled, max, ingestSecret);
        } catch (InvalidSettingsException e) {
            throw new ApiException(400, "invalid_settings", e.getMessage(), e.field());
        }
    }

    /** The settings as GET returns them. */
    public ObjectNode view(AppSettings s, boolean declared) {
        ObjectNode n = mapper.createObjectNode();
        n.put("app", s.appId());
        n.put("sns_topic_arn", s.topicArn().value());
        n.put("sns_region", s.topicArn().region());
        n.put("sns_auth_type", s.authType().wireName());
        n.put("sns_key", Redaction.maskKey(s.accessKey()));
        n.put("sns_secret_set", s.secretKey() != null);
        n.put("sns_role_arn", s.roleArn());
        n.put("sns_endpoint", s.endpoint());
        ArrayNode types = n.putArray("event_types");
        s.eventTypes().stream().sorted().forEach(types::add);
        n.put("enabled", s.enabled());
        n.put("max_message_bytes", s.maxMessageBytes());
        n.put("ingest_secret_set", s.ingestSecret() != null);
        n.put("fifo", s.topicArn().fifo());
        // Declared apps are written again from application.properties at every start.
        n.put("declared_in_properties", declared);
        if (s.authType() == AuthType.RESOURCE) {
            n.set("resource_policy", resourcePolicy(s));
        } else if (s.authType() == AuthType.ROLE) {
            n.set("role_trust_policy", roleTrust(s));
        }
        return n;
    }

    /** The statement to add to the topic's access policy so the relay may publish. */
    private ObjectNode resourcePolicy(AppSettings s) {
        ObjectNode p = mapper.createObjectNode();
        p.put("principal", relayPrincipal);
        if (relayPrincipal == null) {
            p.put("note", "set relay.aws.principal-arn to the relay's AWS identity");
        }
        ObjectNode st = p.putObject("statement");
        st.put("Sid", "AllowSnsRelayPublish");
        st.put("Effect", "Allow");
        st.putObject("Principal").put("AWS",
                relayPrincipal == null ? "<relay principal ARN>" : relayPrincipal);
        st.put("Action", "SNS:Publish");
        st.put("Resource", s.topicArn().value());
        return p;
    }

    /** What the role's trust policy must allow: the relay, with the app id as external id. */
    private ObjectNode roleTrust(AppSettings s) {
        ObjectNode p = mapper.createObjectNode();
        p.put("principal", relayPrincipal);
        ObjectNode st = p.putObject("statement");
        st.put("Effect", "Allow");
        st.putObject("Principal").put("AWS",
                relayPrincipal == null ? "<relay principal ARN>" : relayPrincipal);
        st.put("Action", "sts:AssumeRole");
        st.putObject("Condition").putObject("StringEquals").put("sts:ExternalId", s.appId());
        return p;
    }

    private static void checkEndpoint(String endpoint) {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException("sns_endpoint", "is not a URL");
        }
        boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        if (!web || uri.getHost() == null || uri.getUserInfo() != null
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw new InvalidSettingsException("sns_endpoint",
                    "must be an http or https URL without user, query or fragment");
        }
    }

    private static String text(JsonNode patch, String field, String current) {
        if (!patch.has(field)) {
            return current;
        }
        JsonNode v = patch.get(field);
        if (v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ApiException(400, "invalid_settings", field + " must be a string", field);
        }
        String s = v.asText().trim();
        return s.isEmpty() ? null : s;
    }

    private static boolean bool(JsonNode patch, String field, boolean current) {
        if (!patch.has(field)) {
            return current;
        }
        JsonNode v = patch.get(field);
        if (v.isNull()) {
            return true;
        }
        if (!v.isBoolean()) {
            throw new ApiException(400, "invalid_settings", field + " must be true or false",
                    field);
        }
        return v.asBoolean();
    }

    private static int integer(JsonNode patch, String field, int current) {
        if (!patch.has(field)) {
            return current;
        }
        JsonNode v = patch.get(field);
        if (v.isNull()) {
            return AppSettings.DEFAULT_MAX_MESSAGE_BYTES;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ApiException(400, "invalid_settings", field + " must be a whole number",
                    field);
        }
        return v.asInt();
    }

    private static Set<String> eventTypes(JsonNode patch, AppSettings current) {
        if (!patch.has("event_types")) {
            return current == null ? Set.of() : current.eventTypes();
        }
        JsonNode v = patch.get("event_types");
        if (v.isNull()) {
            return Set.of();
        }
        if (!v.isArray()) {
            throw new ApiException(400, "invalid_settings",
                    "event_types must be a list of event type names", "event_types");
        }
        Set<String> types = new LinkedHashSet<>();
        for (JsonNode t : v) {
            if (!t.isTextual()) {
                throw new ApiException(400, "invalid_settings",
                        "event_types must be a list of event type names", "event_types");
            }
            types.add(t.asText());
        }
        return types;
    }

    public ObjectMapper mapper() {
        return mapper;
    }
}
