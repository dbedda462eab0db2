package dev.snsrelay.deliver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snsrelay.broker.DeadLetters;
import dev.snsrelay.ingest.EventJson;
import dev.snsrelay.ingest.InvalidEventException;
import dev.snsrelay.metrics.RelayMetrics;
import dev.snsrelay.settings.AppSettings;
import dev.snsrelay.settings.AppSettingsLookup;
import dev.snsrelay.settings.Redaction;
import dev.snsrelay.sns.DeliveryFailure;
import dev.snsrelay.sns.FailureClassifier;
import dev.snsrelay.sns.PublishSize;
import dev.snsrelay.sns.SnsClients;
import dev.snsrelay.sns.UndeliverableEventException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the deliver route that YAML cannot express well: find the app's settings, decide
 * whether the event goes out, make the SNS message, apply the size rule, and sort failures into
 * retry or dead-letter. Every outcome is counted.
 */
public final class Delivery {

    /** JMS property naming the app; set by the HTTP route and by external producers. */
    public static final String APP_ID = "appId";
    /** JMS property with the event id (the X-Webhook-Id, or one the relay made). */
    public static final String EVENT_ID = "eventId";
    /** JMS property with the event type, when the HTTP route already read it. */
    public static final String EVENT_TYPE = "eventType";
    /** JMS property the HTTP route sets, so received events are counted once, where they came. */
    public static final String SOURCE = "relaySource";

    /** Exchange property: true when the prepared message is to be published. */
    public static final String PUBLISH = "relayPublish";
    public static final String TOPIC_ARN = "relayTopicArn";
    public static final String SNS_CLIENT = "relaySnsClient";

    private static final String ORIGINAL_BODY = "relayOriginalBody";
    private static final String ATTEMPT = "relayAttempt";
    private static final String APP = "relayApp";
    private static final String ID = "relayEventId";
    private static final String TYPE = "relayEventType";
    private static final String FIFO_GROUP = "CamelAwsSnsMessageGroupId";
    private static final String MESSAGE_ID = "relayJmsMessageId";
    private static final int MAX_TRACKED_FAILURES = 100_000;
    /** What SNS accepts as a MessageGroupId: 1 to 128 printable ASCII characters. */
    private static final java.util.regex.Pattern FIFO_GROUP_ID =
            java.util.regex.Pattern.compile("[\\x21-\\x7E]{1,128}");

    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

    private final AppSettingsLookup settings;
    private final SnsClients clients;
    private final EventJson json;
    private final ObjectMapper mapper;
    private final FailureClassifier classifier;
    private final RelayMetrics metrics;
    private final int maxAttempts;
    private final String eventTypeAttribute;
    private final String eventIdAttribute;
    private final Map<String, Instant> firstFailures = new ConcurrentHashMap<>();

    /**
     * @param maxAttempts        deliveries of one event before a retryable failure dead-letters it
     * @param eventTypeAttribute SNS message attribute that carries the event type, for
     *                           subscription filter policies; blank for none
     */
public Delivery(AppSettingsLookup settings, SnsClients clients, EventJson json,
            ObjectMapper mapper, FailureClassifier classifier, RelayMetrics metrics,
            int maxAttempts, String eventTypeAttribute) {
        this(settings, clients, json, mapper, classifier, metrics, maxAttempts,
                eventTypeAttribute, "");
    }

    /**
     * @param eventIdAttribute SNS message attribute that carries the event id, so consumers
     *                         can drop a repeat; blank for none
     */
        public Delivery(AppSettingsLookup settings, SnsClients clients, EventJson json,
            ObjectMapper mapper, FailureClassifier classifier, RelayMetrics metrics,
            int maxAttempts, String eventTypeAttribute, String eventIdAttribute) {
        this.settings = settings;
        this.clients = clients;
        this.json = json;
        this.mapper = mapper;
        this.classifier = classifier;
        this.metrics = metrics;
        this.maxAttempts = maxAttempts;
        this.eventTypeAttribute = eventTypeAttribute == null ? "" : eventTypeAttribute.trim();
        this.eventIdAttribute = eventIdAttribute == null ? "" : eventIdAttribute.trim();
    }

    /** Turns a queued event into an SNS publish, or marks it as deliberately discarded. */
    public void prepare(Exchange exchange) {
        Message in = exchange.getIn();
        Object body = in.getBody();
        int attempt = in.getHeader("JMSXDeliveryCount", 1, Integer.class);
        String appId = in.getHeader(APP_ID, String.class);
        String eventId = in.getHeader(EVENT_ID, String.class);
        String jmsId = in.getHeader("JMSMessageID", String.class);
        if (eventId == null) {
            eventId = jmsId;
        }
        exchange.setProperty(ORIGINAL_BODY, body);
        exchange.setProperty(ATTEMPT, attempt);
        exchange.setProperty(APP, appId);
        exchange.setProperty(ID, eventId);
        exchange.setProperty(PUBLISH, false);
        exchange.setProperty(MESSAGE_ID, jmsId);

        PreparedEvent event = prepareEvent(body, appId, eventId, attempt,
                in.getHeader(SOURCE, String.class), t -> exchange.setProperty(TYPE, t));
        if (event == null) {
            forget(exchange);
            return;
        }

        // aws2-sns turns every non-Camel header into a message attribute: start from nothing.
        in.removeHeaders("*");
        event.attributes().forEach(in::setHeader);
        in.setBody(event.message());
        if (event.fifo()) {
            // SNS deduplicates FIFO publishes by id; the exchange id is what aws2-sns sends, and
            // it must be the same on every redelivery of this event.
            exchange.setExchangeId(event.deduplicationId());
            exchange.setProperty(FIFO_GROUP, event.groupId());
        }
        exchange.setProperty(TOPIC_ARN, event.topicArn());
        exchange.setProperty(SNS_CLIENT, event.clientBean());
        exchange.setProperty(PUBLISH, true);
    }

    /**
     * The checks and decisions for one queued event, shared by the per-message route and the
     * batching deliverer.
     *
     * @param typeSeen told the event type as soon as it is known, for failure reports
     * @return the publish to make, or null when the event was discarded on purpose (counted)
     * @throws UndeliverableEventException when retrying cannot help (unknown app, bad JSON)
     */
    public PreparedEvent prepareEvent(Object body, String appId, String eventId, int attempt,
            String source, java.util.function.Consumer<String> typeSeen) {
        // HTTP events were counted at ingest, redriven and retried ones when they first came.
        if (attempt == 1 && source == null) {
            metrics.received(appId, "jms");
        }
        if (appId == null || appId.isBlank()) {
            throw new UndeliverableEventException("MissingAppId",
                    "the message has no appId property");
        }
        AppSettings app = settings.find(appId).orElseThrow(() ->
                new UndeliverableEventException("UnknownApp", "no settings for this app"));

        String message = messageText(body);
        EventJson.Summary summary;
        try {
            summary = json.inspect(message);
        } catch (InvalidEventException e) {
            throw new UndeliverableEventException("InvalidEvent", e.getMessage());
        }
        typeSeen.accept(summary.type());

        if (!app.enabled()) {
            discard(app, summary, "disabled");
            return null;
        }
        if (!app.delivers(summary.type())) {
            discard(app, summary, "event_type");
            return null;
        }

        Map<String, String> attributes = new LinkedHashMap<>();
        if (!eventTypeAttribute.isEmpty() && summary.type() != null) {
            attributes.put(eventTypeAttribute, summary.type());
        }
        if (!eventIdAttribute.isEmpty() && eventId != null) {
            attributes.put(eventIdAttribute, eventId);
        }
        long size = PublishSize.of(message, attributes);
        if (size > app.maxMessageBytes()) {
            LOG.warn("Event dropped: too large for SNS. app={} type={} id={} size={} limit={}",
                    appId, LogText.safe(summary.type()), LogText.safe(eventId), size,
                    app.maxMessageBytes());
            metrics.dropped(appId, "oversize");
            return null;
        }
        boolean fifo = app.topicArn().fifo();
        return new PreparedEvent(appId, eventId, summary.type(), message, attributes, size,
                app.topicArn().value(), clients.beanFor(app), app.maxMessageBytes(), fifo,
                fifo ? groupId(summary.channel(), appId) : null,
                fifo ? deduplicationId(appId, eventId, message) : null);
    }

    /**
     * The registry name of the client the app would be given now, for a retry of an event
     * prepared earlier; null when the app is gone or now publishes to another topic.
     */
    public String currentClientBean(PreparedEvent event) {
        return settings.find(event.appId())
                .filter(app -> app.topicArn().value().equals(event.topicArn()))
                .map(clients::beanFor)
                .orElse(null);
    }

    public void published(Exchange exchange) {
        forget(exchange);
        metrics.published(exchange.getProperty(APP, String.class));
    }

    /**
     * Called with the caught failure. A retryable one is thrown again, which rolls the JMS
     * transaction back so the broker redelivers with backoff; otherwise the exchange becomes the
     * dead-letter message: original body, app, and the reason as properties.
     */
    public void failed(Exchange exchange) throws Exception {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String app = exchange.getProperty(APP, String.class);
        DeliveryFailure raw = classifier.classify(caught);
        // An AWS error text may quote the access key; the reason is logged and kept.
        DeliveryFailure failure = new DeliveryFailure(raw.kind(), raw.code(), Redaction.redact(
                raw.message(), app == null ? null : settings.find(app).orElse(null)));
        String id = exchange.getProperty(ID, String.class);
        String type = exchange.getProperty(TYPE, String.class);
        int attempt = exchange.getProperty(ATTEMPT, 1, Integer.class);

        if (failure.retryable() && attempt < maxAttempts) {
            noteFailure(exchange);
            // One WARN per event is enough to see an outage; later attempts would flood the log.
            if (attempt == 1) {
                LOG.warn("Publish failed, will retry: app={} type={} id={} error={}: {}",
                        LogText.safe(app), LogText.safe(type), LogText.safe(id), failure.code(),
                        LogText.safe(failure.message()));
            } else {
                LOG.debug("Publish failed again: app={} id={} attempt={}/{} error={}",
                        LogText.safe(app), LogText.safe(id), attempt, maxAttempts,
                        failure.code());
            }
            throw caught;
        }

        String reason = failure.retryable()
                ? "retries exhausted after " + attempt + " attempts: " + failure.message()
                : failure.message();
        LOG.warn("Event moved to the dead-letter queue: app={} type={} id={} attempts={} "
                + "reason={}: {}", LogText.safe(app), LogText.safe(type), LogText.safe(id),
                attempt, failure.code(), LogText.safe(reason));
        metrics.deadLettered(app, failure.code());

        Message out = exchange.getIn();
        out.removeHeaders("*");
        out.setBody(exchange.getProperty(ORIGINAL_BODY));
        if (app != null) {
            out.setHeader(APP_ID, app);
        }
        if (id != null) {
            out.setHeader(EVENT_ID, id);
        }
        if (type != null) {
            out.setHeader(EVENT_TYPE, type);
        }
        Instant now = Instant.now();
        Instant first = forget(exchange);
        out.setHeader(DeadLetters.CODE, failure.code());
        out.setHeader(DeadLetters.REASON, reason);
        out.setHeader(DeadLetters.ATTEMPTS, attempt);
        out.setHeader(DeadLetters.FIRST_FAILURE, (first == null ? now : first).toString());
        out.setHeader(DeadLetters.LAST_FAILURE, now.toString());
    }

    /**
     * When this event first failed. Kept in memory across its redeliveries (a rolled-back JMS
     * message cannot be changed); after a restart the clock starts again.
     */
    private void noteFailure(Exchange exchange) {
        String key = exchange.getProperty(MESSAGE_ID, String.class);
        if (key != null) {
            if (firstFailures.size() > MAX_TRACKED_FAILURES) {
                firstFailures.clear();
            }
            firstFailures.putIfAbsent(key, Instant.now());
        }
    }

    private Instant forget(Exchange exchange) {
        String key = exchange.getProperty(MESSAGE_ID, String.class);
        return key == null ? null : firstFailures.remove(key);
    }

    private void discard(AppSettings app, EventJson.Summary summary, String reason) {
        LOG.debug("Event discarded: app={} type={} reason={}", app.appId(),
                LogText.safe(summary.type()), reason);
        metrics.dropped(app.appId(), reason);
    }

    private String messageText(Object body) {
        if (body instanceof String text) {
            return text;
        }
        if (body instanceof byte[] bytes) {
            try {
                return EventJson.decodeUtf8(bytes);
            } catch (InvalidEventException e) {
                throw new UndeliverableEventException("InvalidEvent", e.getMessage());
            }
        }
        if (body == null || body instanceof java.io.InputStream || body instanceof java.io.Reader
                || body instanceof org.apache.camel.StreamCache) {
            throw new UndeliverableEventException("InvalidEvent", "the message has no body or"
                    + " is of a kind the relay does not take: send text, bytes or map messages");
        }
        try {
            // A Map (JMS MapMessage) or an object from a Java producer.
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UndeliverableEventException("InvalidEvent",
                    "the message body cannot be written as JSON: " + body.getClass().getName());
        }
    }

    /**
     * The FIFO deduplication id: a hash of the app and the event id (or, without an id, the
     * body). SNS deduplicates per topic, so two apps sharing a topic must not collide on equal
     * event ids; and the id must be the same on every redelivery.
     */
    public static String deduplicationId(String appId, String eventId, String message) {
        String key = appId + "\n" + (eventId != null ? "id:" + eventId : "body:" + message);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The event's channel when SNS accepts it as a message group id, else the app id. */
    public static String groupId(String channel, String appId) {
        return channel != null && FIFO_GROUP_ID.matcher(channel).matches() ? channel : appId;
    }
}
