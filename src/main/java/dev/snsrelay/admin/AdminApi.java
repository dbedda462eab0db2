package dev.snsrelay.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.snsrelay.broker.DeadLetterFilter;
import dev.snsrelay.broker.DeadLetters;
import dev.snsrelay.http.JsonReply;
import dev.snsrelay.http.QueryString;
import dev.snsrelay.metrics.RelayMetrics;
import dev.snsrelay.settings.AppSettings;
import dev.snsrelay.settings.AppSettingsStore;
import dev.snsrelay.settings.InvalidSettingsException;
import dev.snsrelay.settings.SettingsStoreException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the admin-api routes: per-app settings over REST, JSON in and out. Every call
 * needs the bearer token; every answer is JSON without any request header echoed back.
 */
public final class AdminApi {

    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

    private final AppSettingsStore store;
    private final SettingsJson json;
    private final SnsCheck check;
    private final AdminToken token;
    private final Predicate<String> declared;
    private final RelayMetrics metrics;
    private final DeadLetters deadLetters;

    /** @param declared whether an app is declared in application.properties */
    public AdminApi(AppSettingsStore store, SettingsJson json, SnsCheck check, AdminToken token,
            Predicate<String> declared, RelayMetrics metrics, DeadLetters deadLetters) {
        this.store = store;
        this.json = json;
        this.check = check;
        this.token = token;
        this.declared = declared;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
    }

    public void authorize(Exchange exchange) {
        // platform-http turns query parameters into headers; a token in a URL ends up in logs.
        if (QueryString.names(exchange).contains("authorization")) {
            throw new ApiException(400, "token_in_query",
                    "send the admin token in the Authorization header, not in the URL");
        }
        if (!token.accepts(exchange.getIn().getHeader("Authorization", String.class))) {
            throw new ApiException(401, "unauthorized",
                    "missing or wrong admin token: send Authorization: Bearer <token>");
        }
    }

    public void listApps(Exchange exchange) {
        ObjectNode body = json.mapper().createObjectNode();
        ArrayNode apps = body.putArray("apps");
        for (AppSettings s : store.list()) {
            apps.add(json.view(s, declared.test(s.appId())));
        }
        JsonReply.send(exchange, 200, body);
    }

    public void getSettings(Exchange exchange) {
        AppSettings s = existing(appId(exchange));
        JsonReply.send(exchange, 200, json.view(s, declared.test(s.appId())));
    }

    /** The app's delivery counters since this relay instance started. */
    public void getStats(Exchange exchange) {
        AppSettings s = existing(appId(exchange));
        ObjectNode body = json.mapper().createObjectNode();
        body.put("app", s.appId());
        body.set("counters", json.mapper().valueToTree(metrics.appCounters(s.appId())));
        JsonReply.send(exchange, 200, body);
    }

    public void patchSettings(Exchange exchange) {
        String app = validAppId(exchange);
        JsonNode patch = body(exchange).orElseThrow(() ->
                new ApiException(400, "invalid_body", "the body must be a JSON object"));
        Optional<AppSettings> current = store.find(app);
        AppSettings updated = json.apply(app, current.orElse(null), patch);
        try {
            store.save(updated);
        } catch (InvalidSettingsException e) {
            throw new ApiException(400, "invalid_settings", e.getMessage(), e.field());
        }
        LOG.info("Settings of app {} {} through the admin API (fields: {})", app,
                current.isPresent() ? "changed" : "created", fieldNames(patch));
        JsonReply.send(exchange, current.isPresent() ? 200 : 201,
                json.view(updated, declared.test(app)));
    }

    public void deleteApp(Exchange exchange) {
        String app = appId(exchange);
        if (!store.delete(app)) {
            throw new ApiException(404, "unknown_app", "no settings for app " + app);
        }
        LOG.info("App {} deleted through the admin API", app);
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        out.setBody(null);
    }

    /** With a body, checks those settings over the saved ones without saving; else the saved. */
    public void checkSns(Exchange exchange) {
        String app = validAppId(exchange);
        Optional<JsonNode> patch = body(exchange);
        Optional<AppSettings> saved = store.find(app);
        AppSettings settings;
        if (patch.isPresent()) {
            settings = json.apply(app, saved.orElse(null), patch.get());
        } else {
            settings = saved.orElseThrow(() -> new ApiException(404, "unknown_app",
                    "no settings for app " + app + "; send the settings to check in the body"));
        }
        ObjectNode result = check.run(settings);
        LOG.info("SNS check for app {}: {}", app, result.get("status").asText());
        JsonReply.send(exchange, 200, result);
    }

    /** GET /v1/dead_letters?app=&offset=&limit=: what is dead-lettered and why, no bodies. */
    public void listDeadLetters(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        String app = in.getHeader("app", String.class);
        if (app != null && !AppSettings.isValidAppId(app)) {
            throw new ApiException(400, "invalid_filter", "app must be an app id", "app");
        }
        int offset = intParam(in, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = intParam(in, "limit", 100, 1, 1000);
        DeadLetters.Page page = deadLetters.list(app, offset, limit);
        ObjectNode body = json.mapper().createObjectNode();
        body.put("total", page.total());
        body.put("offset", offset);
        body.put("limit", limit);
        ArrayNode entries = body.putArray("dead_letters");
        for (DeadLetters.Entry e : page.entries()) {
            ObjectNode n = entries.addObject();
            n.put("id", e.id());
            n.put("app", e.app());
            n.put("event_id", e.eventId());
            n.put("event_type", e.eventType());
            n.put("code", e.code());
            n.put("reason", e.reason());
            if (e.attempts() == null) {
                n.putNull("attempts");
            } else {
                n.put("attempts", e.attempts());
            }
            n.put("first_failure_at", e.firstFailureAt());
            n.put("last_failure_at", e.lastFailureAt());
            n.put("dead_lettered_at", e.deadLetteredAt());
            n.put("body_bytes", e.bodyBytes());
        }
        JsonReply.send(exchange, 200, body);
    }

    /** POST /v1/dead_letters/redrive with {"all":true} | {"app":..} | {"ids":[..]}. */
    public void redriveDeadLetters(Exchange exchange) throws Exception {
        JsonNode b = body(exchange).orElseThrow(() -> new ApiException(400, "invalid_filter",
                "send {\"all\": true}, {\"app\": \"<app>\"} or {\"ids\": [...]}"));
        List<String> ids = new ArrayList<>();
        if (b.has("ids")) {
            if (!b.get("ids").isArray()) {
                throw new ApiException(400, "invalid_filter", "ids must be a list", "ids");
            }
            for (JsonNode i : b.get("ids")) {
                if (!i.isTextual()) {
                    throw new ApiException(400, "invalid_filter", "ids must be strings", "ids");
                }
                ids.add(i.asText());
            }
        }
        for (java.util.Iterator<String> names = b.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!List.of("all", "app", "ids").contains(name)) {
                throw new ApiException(400, "invalid_filter", "unknown field " + name, name);
            }
        }
        if (b.has("all") && !b.get("all").isBoolean()) {
            throw new ApiException(400, "invalid_filter", "all must be true or false", "all");
        }
        if (b.has("app") && !b.get("app").isTextual()) {
            throw new ApiException(400, "invalid_filter", "app must be an app id", "app");
        }
        DeadLetterFilter filter = filter(b.path("all").asBoolean(false),
                b.hasNonNull("app") ? b.get("app").asText() : null, ids);
        DeadLetters.Result result = deadLetters.redrive(filter);
        ObjectNode body = json.mapper().createObjectNode();
        body.put("redriven", result.done());
        body.put("left", result.left());
        JsonReply.send(exchange, 200, body);
    }

    /** DELETE /v1/dead_letters?all=true | ?app=.. | ?ids=a,b: purges, never without a filter. */
    public void purgeDeadLetters(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        String ids = in.getHeader("ids", String.class);
        DeadLetterFilter filter = filter("true".equals(in.getHeader("all", String.class)),
                in.getHeader("app", String.class),
                ids == null ? List.of() : List.of(ids.split(",")));
        DeadLetters.Result result = deadLetters.purge(filter);
        ObjectNode body = json.mapper().createObjectNode();
        body.put("purged", result.done());
        body.put("left", result.left());
        JsonReply.send(exchange, 200, body);
    }

    private static DeadLetterFilter filter(boolean all, String app, List<String> ids) {
        try {
            return new DeadLetterFilter(all, app, ids);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "invalid_filter", e.getMessage());
        }
    }

    private static int intParam(Message in, String name, int fallback, int min, int max) {
        String v = in.getHeader(name, String.class);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Falls through to the error below.
        }
        throw new ApiException(400, "invalid_parameter",
                name + " must be a whole number from " + min + " to " + max, name);
    }

    public void failed(Exchange exchange) {
        ApiException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, ApiException.class);
        ObjectNode body = JsonReply.error(json.mapper(), e.code(), e.getMessage(), e.field());
        JsonReply.send(exchange, e.status(), body);
        if (e.status() == 401) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
        }
    }

    public void unavailable(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e instanceof SettingsStoreException) {
            LOG.warn("Settings store unavailable: {}", e.getMessage());
            JsonReply.send(exchange, 503, JsonReply.error(json.mapper(), "store_unavailable",
                    "the settings store is unavailable; retry later", null));
        } else if (e instanceof jakarta.jms.JMSException) {
            LOG.warn("Broker unavailable for a dead-letter call: {}", e.getMessage());
            JsonReply.send(exchange, 503, JsonReply.error(json.mapper(), "queue_unavailable",
                    "the broker is unavailable; retry later", null));
        } else {
            LOG.error("Admin API call failed: {}", e == null ? "?" : e.getClass().getName());
            JsonReply.send(exchange, 500, JsonReply.error(json.mapper(), "internal_error",
                    "internal error", null));
        }
    }

    private AppSettings existing(String app) {
        return store.find(app).orElseThrow(() ->
                new ApiException(404, "unknown_app", "no settings for app " + app));
    }

    private static String appId(Exchange exchange) {
        String app = exchange.getIn().getHeader("app", String.class);
        if (!AppSettings.isValidAppId(app)) {
            throw new ApiException(404, "unknown_app", "no such app");
        }
        return app;
    }

    private static String validAppId(Exchange exchange) {
        String app = exchange.getIn().getHeader("app", String.class);
        if (!AppSettings.isValidAppId(app)) {
            throw new ApiException(400, "invalid_app_id",
                    "app id must be 1 to 64 letters, digits, '_' or '-'", "app");
        }
        return app;
    }

    private Optional<JsonNode> body(Exchange exchange) {
        String text = exchange.getIn().getBody(String.class);
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String type = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (type == null || !type.toLowerCase().startsWith("application/json")) {
            throw new ApiException(415, "unsupported_media_type",
                    "Content-Type must be application/json");
        }
        try {
            return Optional.of(json.mapper().readTree(text));
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "invalid_json", "the body is not valid JSON");
        }
    }

    private static String fieldNames(JsonNode patch) {
        StringBuilder sb = new StringBuilder();
        patch.fieldNames().forEachRemaining(n -> sb.append(sb.length() == 0 ? "" : ", ")
                .append(n));
        return sb.toString();
    }
}
