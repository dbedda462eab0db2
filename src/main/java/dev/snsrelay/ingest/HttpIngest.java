package dev.snsrelay.ingest;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.snsrelay.deliver.Delivery;
import dev.snsrelay.http.JsonReply;
import dev.snsrelay.http.QueryString;
import dev.snsrelay.metrics.RelayMetrics;
import dev.snsrelay.settings.AppSettings;
import dev.snsrelay.settings.AppSettingsLookup;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the ingest-http route: check a posted event, hand it to the queue with only the
 * properties the relay chose, and answer in JSON. No request header travels on.
 */
public final class HttpIngest {

    private static final Logger LOG = LoggerFactory.getLogger(HttpIngest.class);
    private static final Pattern WEBHOOK_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** Artemis's duplicate detection property. */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    private static final java.util.Set<String> HEADER_ONLY = java.util.Set.of("x-signature",
            "x-webhook-id", "content-encoding", "content-type");
    /** JMS message group: events of one FIFO channel are delivered by one consumer, in order. */
    public static final String GROUP_ID = "JMSXGroupID";
    /** Longest event type accepted; chat event types are a few dozen characters. */
    static final int MAX_TYPE_CHARS = 255;

    private final AppSettingsLookup settings;
    private final EventJson json;
    private final ObjectMapper mapper;
    private final RelayMetrics metrics;
    private final int maxBodyBytes;

    /** @param maxBodyBytes largest body accepted, as sent and once gzip is decoded */
    public HttpIngest(AppSettingsLookup settings, EventJson json, ObjectMapper mapper,
            RelayMetrics metrics, int maxBodyBytes) {
        this.settings = settings;
        this.json = json;
        this.mapper = mapper;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Validates the request and turns it into the message to queue; throws to refuse it. */
    public void accept(Exchange exchange) {
        Message in = exchange.getIn();
        String app = in.getHeader("app", String.class);
        if (!AppSettings.isValidAppId(app)) {
            throw new IngestRejectedException(404, "unknown_app", "unknown app");
        }
        requireJsonContentType(in.getHeader(Exchange.CONTENT_TYPE, String.class));
        // platform-http merges query parameters into the headers: these must be real headers.
        for (String name : QueryString.names(exchange)) {
            if (HEADER_ONLY.contains(name)) {
                throw new IngestRejectedException(400, "header_in_query",
                        name + " must be sent as an HTTP header, not in the URL");
            }
        }

        String eventId = in.getHeader("X-Webhook-Id", String.class);
        boolean webhookIdGiven = eventId != null && !eventId.isEmpty();
        if (!webhookIdGiven) {
            eventId = UUID.randomUUID().toString();
        } else if (!WEBHOOK_ID.matcher(eventId).matches()) {
            throw new IngestRejectedException(400, "invalid_webhook_id",
                    "X-Webhook-Id must be 1 to 128 letters, digits or . _ : -");
        }

        byte[] raw = decoded(in);
        if (raw.length == 0) {
            throw new IngestRejectedException(400, "empty_body", "the body is empty");
        }
        AppSettings target = settings.find(app).orElseThrow(() ->
                new IngestRejectedException(404, "unknown_app", "no settings for app " + app));
        if (target.ingestSecret() != null && !Signatures.verify(raw, target.ingestSecret(),
                in.getHeader("X-Signature", String.class))) {
            throw new IngestRejectedException(401, "invalid_signature", "X-Signature is missing"
                    + " or is not the hex HMAC-SHA256 of the body with the app's ingest secret");
        }
        String text;
        EventJson.Summary summary;
        try {
            text = EventJson.decodeUtf8(raw);
            summary = json.inspect(text);
        } catch (InvalidEventException e) {
            throw new IngestRejectedException(400, e.code(), e.getMessage());
        }
        if (summary.type() != null && summary.type().length() > MAX_TYPE_CHARS) {
            // The type travels as a message property and an SNS attribute: a long one is a
            // mistake, and past a few hundred KB the broker cannot store the message at all.
            throw new IngestRejectedException(400, "type_too_long",
                    "the event's type is over " + MAX_TYPE_CHARS + " characters");
        }
        in.removeHeaders("*");
        in.setHeader(Delivery.APP_ID, app);
        in.setHeader(Delivery.EVENT_ID, eventId);
        in.setHeader(Delivery.SOURCE, "http");
        if (summary.type() != null) {
            in.setHeader(Delivery.EVENT_TYPE, summary.type());
        }
        if (target.topicArn().fifo()) {
            // The broker hands one group's messages to one consumer at a time, in order; that
            // is what keeps a FIFO topic's per-channel order through concurrent delivery.
            // The group SNS will get, so that an over-long channel never becomes a property.
            in.setHeader(GROUP_ID, app + ":" + Delivery.groupId(summary.channel(), app));
        }
        if (webhookIdGiven) {
            // The broker drops a second message with the same id (its duplicate-ID cache is
            // persistent), so a sender's retry is accepted again but queued only once.
            in.setHeader(DUPLICATE_ID, app + ":" + eventId);
        }
        in.setBody(text);
        exchange.setProperty("relayIngestApp", app);
        exchange.setProperty("relayIngestId", eventId);
    }

    /** After the queue has the event: 202 with its id. */
    public void accepted(Exchange exchange) {
        String app = exchange.getProperty("relayIngestApp", String.class);
        metrics.received(app, "http");
        ObjectNode body = mapper.createObjectNode();
        body.put("id", exchange.getProperty("relayIngestId", String.class));
        JsonReply.send(exchange, 202, body);
    }

    /** The request was refused: its status and a JSON error, and nothing was queued. */
    public void rejected(Exchange exchange) {
        IngestRejectedException e =
                exchange.getProperty(Exchange.EXCEPTION_CAUGHT, IngestRejectedException.class);
        metrics.rejected(exchange.getIn().getHeader("app", String.class), e.code());
        JsonReply.send(exchange, e.status(),
                JsonReply.error(mapper, e.code(), e.getMessage(), null));
    }

    /** The queue did not take the event: the sender must retry. */
    public void unavailable(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("Event not accepted: the queue refused it ({}); answered 503",
                e == null ? "unknown cause" : e.getClass().getSimpleName() + ": "
                        + e.getMessage());
        JsonReply.send(exchange, 503, JsonReply.error(mapper, "queue_unavailable",
                "the queue did not confirm the event; retry later with the same X-Webhook-Id,"
                        + " which is queued at most once", null));
    }

    /** The body as sent, gzip decoded when the request says so, within the ingest cap. */
    private byte[] decoded(Message in) {
        byte[] raw = in.getBody(byte[].class);
        if (raw == null) {
            return new byte[0];
        }
        if (raw.length > maxBodyBytes) {
            throw tooLarge();
        }
        String encoding = in.getHeader("Content-Encoding", String.class);
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            return raw;
        }
        if (!encoding.trim().equalsIgnoreCase("gzip")) {
            throw new IngestRejectedException(415, "unsupported_encoding",
                    "Content-Encoding must be gzip or absent");
        }
        try {
            return Gzip.decode(raw, maxBodyBytes);
        } catch (Gzip.TooLargeException e) {
            throw tooLarge();
        } catch (java.io.IOException e) {
            throw new IngestRejectedException(400, "invalid_gzip", "the body is not valid gzip");
        }
    }

    private IngestRejectedException tooLarge() {
        return new IngestRejectedException(413, "body_too_large",
                "the body is over " + maxBodyBytes + " bytes (after gzip decoding)");
    }

    private static void requireJsonContentType(String contentType) {
        if (contentType == null) {
            throw new IngestRejectedException(415, "unsupported_media_type",
                    "Content-Type must be application/json");
        }
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        if (!parts[0].trim().equals("application/json")) {
            throw new IngestRejectedException(415, "unsupported_media_type",
                    "Content-Type must be application/json");
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.startsWith("charset=") && !p.substring(8).replace("\"", "").equals("utf-8")) {
                throw new IngestRejectedException(415, "unsupported_media_type",
                        "the only charset accepted is utf-8");
            }
        }
    }
}
