package dev.snsrelay.routes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.snsrelay.deliver.Delivery;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.model.AuthorizationErrorException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * routes/deliver.camel.yaml: one queued event to the app's SNS topic. The JMS consumer becomes
 * direct:deliver (a send is one delivery attempt; an exception left on the exchange is a
 * rollback), the dead-letter producer a mock, and SNS the recording fake behind the real
 * aws2-sns endpoint.
 */
class DeliverRouteTest extends RouteTestSupport {

    private static final int SNS_LIMIT = 262_144;
    private static final String ATTRIBUTE = "event_type";

    @Override
    String[] routeFiles() {
        return new String[] {"routes/deliver.camel.yaml"};
    }

    @Override
    void adviseRoutes() throws Exception {
        AdviceWith.adviceWith(context, "deliver", route -> {
            route.replaceFromWith("direct:deliver");
            // The dead-letter queue is the route's only JMS producer. Its URI is matched as
            // written ({{...}} unresolved), so a pattern naming the queue would not match.
            route.weaveByToUri("jms:queue:*").replace().to("mock:dead-letter");
        });
    }

    // --- Size rule ------------------------------------------------------------------------------

    @Test
    void event_of_exactly_the_limit_in_utf8_bytes_with_its_attribute_is_published() {
        String body = eventOfPublishSize("message.new", SNS_LIMIT, false);

        Exchange done = deliver(body, jms(APP));

        assertThat(done.getException()).isNull();
        assertThat(sns.published()).singleElement()
                .satisfies(r -> assertThat(r.message()).isEqualTo(body));
        assertThat(scraped("relay_events_dropped_total", "app", APP)).isZero();
    }

    @Test
    void event_one_utf8_byte_over_the_limit_is_dropped_counted_and_logged_without_body() {
        String exact = eventOfPublishSize("message.new", SNS_LIMIT, false);
        String over = eventOfPublishSize("message.new", SNS_LIMIT, true);
        // Same number of chars and code points: only a UTF-8 byte count tells them apart.
        assertThat(over.length()).isEqualTo(exact.length());
        assertThat(over.codePointCount(0, over.length()))
                .isEqualTo(exact.codePointCount(0, exact.length()));

        ListAppender<ILoggingEvent> log = captureLog();
        Exchange done;
        try {
            done = deliver(over, jms(APP, "evt-big-1"));
        } finally {
            releaseLog(log);
        }

        assertThat(done.getException()).isNull();
        assertThat(sns.attempts()).isEmpty();
        assertThat(getMockEndpoint("mock:dead-letter").getReceivedCounter()).isZero();
        assertThat(scraped("relay_events_dropped_total", "app", APP, "reason", "oversize"))
                .isEqualTo(1.0);
        assertThat(log.list).filteredOn(e -> e.getLevel().toString().equals("WARN"))
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage())
                        .contains("app=" + APP, "type=message.new", "id=evt-big-1",
                                "size=" + (SNS_LIMIT + 1), "limit=" + SNS_LIMIT)
                        .doesNotContain("界", "\"text\""));
    }

    @Test
    void attribute_bytes_count_toward_the_limit() {
        // The message alone is exactly at the limit; the event_type attribute tips it over.
        String withType = padTo("{\"type\":\"message.new\",\"text\":\"", SNS_LIMIT);
        String withoutType = padTo("{\"kind\":\"message.new\",\"text\":\"", SNS_LIMIT);

        deliver(withType, jms(APP));
        deliver(withoutType, jms(APP));

        assertThat(sns.published()).singleElement().satisfies(r -> {
            assertThat(r.message()).isEqualTo(withoutType);
            assertThat(r.messageAttributes()).isEmpty();
        });
        assertThat(scraped("relay_events_dropped_total", "app", APP, "reason", "oversize"))
                .isEqualTo(1.0);
    }

    @Test
    void sample_090_just_under_the_limit_is_published_and_091_just_over_is_dropped() {
        String under = event("090-message.new-262100B.json");
        String over = event("091-message.new-262200B.json");

        deliver(under, jms(APP));
        deliver(over, jms(APP));

        assertThat(sns.published()).singleElement()
                .satisfies(r -> assertThat(r.message()).isEqualTo(under));
        assertThat(scraped("relay_events_dropped_total", "app", APP, "reason", "oversize"))
                .isEqualTo(1.0);
    }

    @Test
    void app_with_a_raised_max_message_bytes_publishes_up_to_its_own_limit() {
        int raised = 1_048_576;
        String sample = event("091-message.new-262200B.json");
        String exact = eventOfPublishSize("message.new", raised, false);
        String over = eventOfPublishSize("message.new", raised, true);

        deliver(sample, jms(BIG_APP));
        deliver(exact, jms(BIG_APP));
        deliver(over, jms(BIG_APP));

        assertThat(sns.published()).extracting(PublishRequest::message)
                .containsExactly(sample, exact);
        assertThat(scraped("relay_events_dropped_total", "app", BIG_APP, "reason", "oversize"))
                .isEqualTo(1.0);
    }

    // --- What reaches SNS -----------------------------------------------------------------------

    @Test
    void no_inbound_header_reaches_sns_only_the_event_type_attribute() {
        Map<String, Object> headers = jms(APP, "evt-1");
        headers.put("JMSCorrelationID", "corr-42");
        headers.put("JMSType", "chat");
        headers.put("JMSPriority", 4);
        headers.put(Delivery.EVENT_TYPE, "message.new");
        headers.put(Delivery.SOURCE, "http");
        headers.put("Authorization", "Bearer do-not-forward");
        headers.put("Content-Type", "application/json");
        headers.put("X-Signature", "abc123");
        headers.put("tenant", "acme");
        headers.put("retryCount", 3);

        deliver(event("001-message.new.json"), headers);

        PublishRequest request = sns.published().get(0);
        assertThat(request.topicArn()).isEqualTo(APP_TOPIC);
        assertThat(request.messageAttributes()).containsOnlyKeys(ATTRIBUTE);
        MessageAttributeValue type = request.messageAttributes().get(ATTRIBUTE);
        assertThat(type.dataType()).isEqualTo("String");
        assertThat(type.stringValue()).isEqualTo("message.new");
        assertThat(request.subject()).isNull();
        assertThat(request.messageStructure()).isNull();
        // A standard topic must not get FIFO fields: SNS refuses them there.
        assertThat(request.messageGroupId()).isNull();
        assertThat(request.messageDeduplicationId()).isNull();
    }

    @Test
    void event_without_a_type_is_published_without_attributes() {
        String body = "{\"cid\":\"messaging:general\",\"text\":\"no type here\"}";

        deliver(body, jms(APP));

        assertThat(sns.published()).singleElement().satisfies(r -> {
            assertThat(r.message()).isEqualTo(body);
            assertThat(r.messageAttributes()).isEmpty();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"001-message.new.json", "064-message.new.json",
        "066-message.new.json", "069-message.new.json"})
    void sample_events_are_published_byte_for_byte_from_text_and_bytes_messages(String file) {
        String sample = event(file);

        deliver(sample, jms(APP));
        deliver(sample.getBytes(UTF_8), jms(APP));

        assertThat(sns.published()).extracting(PublishRequest::message)
                .containsExactly(sample, sample);
    }

    @Test
    void number_spellings_and_escapes_are_not_rewritten() {
        String body = "{\"type\":\"message.new\",\"price\":3.70,\"ratio\":1E+2,\"zero\":-0.0,"
                + "\"max\":18446744073709551616,\"min\":-18446744073709551617,"
                + "\"html\":\"\\u003cb\\u003e\\u0026\\u2028\",\"slash\":\"a\\/b\"}";

        deliver(body, jms(APP));

        assertThat(sns.published()).singleElement()
                .satisfies(r -> assertThat(r.message()).isEqualTo(body));
    }

    @Test
    void map_message_body_is_published_as_json() throws Exception {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", "reaction.new");
        map.put("cid", "messaging:general");
        map.put("score", 5);
        map.put("big", 9_007_199_254_740_993L);
        map.put("tags", List.of("a", "é"));

        deliver(map, jms(APP));

        PublishRequest request = sns.published().get(0);
        assertThat(mapper().readTree(request.message())).isEqualTo(mapper().valueToTree(map));
        assertThat(request.messageAttributes().get(ATTRIBUTE).stringValue())
                .isEqualTo("reaction.new");
    }

    // --- Events that can never be delivered -----------------------------------------------------

    @Test
    void unknown_app_goes_to_the_dead_letter_queue_and_nothing_is_published() throws Exception {
        String body = event("001-message.new.json");
        MockEndpoint dlq = getMockEndpoint("mock:dead-letter");
        dlq.expectedBodiesReceived(body);
        Map<String, Object> headers = jms("nobody", "evt-7");
        headers.put("Authorization", "Bearer do-not-forward");

        Exchange done = deliver(body, headers);

        MockEndpoint.assertIsSatisfied(context, 5, TimeUnit.SECONDS);
        // Handled: the JMS transaction commits, so the broker does not redeliver.
        assertThat(done.getException()).isNull();
        assertThat(sns.attempts()).isEmpty();
        Message dead = dlq.getReceivedExchanges().get(0).getIn();
        assertThat(dead.getHeaders()).containsOnlyKeys(Delivery.APP_ID, Delivery.EVENT_ID,
                "deadLetterCode", "deadLetterReason", "deadLetterAttempts",
                "deadLetterFirstFailureAt", "deadLetterLastFailureAt");
        assertThat(dead.getHeader(Delivery.APP_ID)).isEqualTo("nobody");
        assertThat(dead.getHeader(Delivery.EVENT_ID)).isEqualTo("evt-7");
        assertThat(dead.getHeader("deadLetterCode")).isEqualTo("UnknownApp");
        assertThat(dead.getHeader("deadLetterReason", String.class)).isNotBlank();
        assertThat(dead.getHeader("deadLetterAttempts")).isEqualTo(1);
        assertThat(scraped("relay_events_dead_lettered_total", "reason", "UnknownApp"))
                .isEqualTo(1.0);
    }

    @Test
    void message_without_app_id_goes_to_the_dead_letter_queue() throws Exception {
        String body = event("001-message.new.json");
        MockEndpoint dlq = getMockEndpoint("mock:dead-letter");
        dlq.expectedBodiesReceived(body);
        dlq.expectedHeaderReceived("deadLetterCode", "MissingAppId");
        Map<String, Object> headers = jms(APP);
        headers.remove(Delivery.APP_ID);

        Exchange done = deliver(body, headers);

        MockEndpoint.assertIsSatisfied(context, 5, TimeUnit.SECONDS);
        assertThat(done.getException()).isNull();
        assertThat(sns.attempts()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("invalidEvents")
    void invalid_event_from_jms_is_dead_lettered_once_without_redelivery(Object body)
            throws Exception {
        MockEndpoint dlq = getMockEndpoint("mock:dead-letter");
        dlq.expectedMessageCount(1);
        dlq.expectedHeaderReceived("deadLetterCode", "InvalidEvent");
        dlq.expectedHeaderReceived(Delivery.APP_ID, APP);

        Exchange done = deliver(body, jms(APP));

        MockEndpoint.assertIsSatisfied(context, 5, TimeUnit.SECONDS);
        assertThat(done.getException()).isNull();
        assertThat(dlq.getReceivedExchanges().get(0).getIn().getBody()).isEqualTo(body);
        assertThat(sns.attempts()).isEmpty();
    }

    static Stream<Object> invalidEvents() {
        return Stream.of("{\"type\":\"message.new\",", "not json at all", "[1,2,3]",
                "{\"a\":1} trailing", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3,
                    (byte) 0x28, '"', '}'});
    }

    // --- SNS failures ---------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("permanentSnsErrors")
    void permanent_sns_error_dead_letters_at_once_with_its_code(AwsServiceException error,
            String code) throws Exception {
        String body = event("001-message.new.json");
        sns.failNextWith(error);
        MockEndpoint dlq = getMockEndpoint("mock:dead-letter");
        dlq.expectedBodiesReceived(body);
        dlq.expectedHeaderReceived("deadLetterCode", code);
        dlq.expectedHeaderReceived("deadLetterReason", error.awsErrorDetails().errorMessage());
        dlq.expectedHeaderReceived("deadLetterAttempts", 1);
        dlq.expectedHeaderReceived(Delivery.EVENT_TYPE, "message.new");

        Exchange done = deliver(body, jms(APP, "evt-9"));

        MockEndpoint.assertIsSatisfied(context, 5, TimeUnit.SECONDS);
        assertThat(done.getException()).isNull();
        assertThat(sns.attempts()).hasSize(1);
        assertThat(sns.published()).isEmpty();
        assertThat(scraped("relay_events_dead_lettered_total", "app", APP, "reason", code))
                .isEqualTo(1.0);
    }

    static Stream<Arguments> permanentSnsErrors() {
        return Stream.of(
                Arguments.of(NotFoundException.builder().statusCode(404)
                        .awsErrorDetails(details("NotFound", "Topic does not exist"))
                        .build(), "NotFound"),
                Arguments.of(AuthorizationErrorException.builder().statusCode(403)
                        .awsErrorDetails(details("AuthorizationError",
                                "User is not authorized to perform SNS:Publish"))
                        .build(), "AuthorizationError"),
                Arguments.of(InvalidParameterException.builder().statusCode(400)
                        .awsErrorDetails(details("InvalidParameter",
                                "Invalid parameter: MessageGroupId"))
                        .build(), "InvalidParameter"));
    }

    @ParameterizedTest
    @MethodSource("retryableSnsErrors")
    void retryable_sns_error_fails_the_exchange_so_the_transaction_rolls_back(
            RuntimeException error) {
        sns.failNextWith(error);

        Exchange done = deliver(event("001-message.new.json"), jms(APP));

        assertThat(done.getException()).isSameAs(error);
        assertThat(getMockEndpoint("mock:dead-letter").getReceivedCounter()).isZero();
        assertThat(sns.published()).isEmpty();
    }

    static Stream<RuntimeException> retryableSnsErrors() {
        return Stream.of(
                FakeSnsClient.awsError(400, "Throttling", "Rate exceeded"),
                FakeSnsClient.awsError(500, "InternalError", "We encountered an internal error"),
                FakeSnsClient.awsError(503, null, "Service Unavailable"),
                SdkClientException.create("Unable to execute HTTP request: Connection refused"));
    }

    @Test
    void retryable_error_on_the_last_attempt_goes_to_the_dead_letter_queue() throws Exception {
        String body = event("001-message.new.json");
        sns.failNextWith(FakeSnsClient.awsError(400, "Throttling", "Rate exceeded"));
        MockEndpoint dlq = getMockEndpoint("mock:dead-letter");
        dlq.expectedBodiesReceived(body);
        dlq.expectedHeaderReceived("deadLetterCode", "Throttling");
        dlq.expectedHeaderReceived("deadLetterAttempts", MAX_ATTEMPTS);
        Map<String, Object> headers = jms(APP);
        headers.put("JMSXDeliveryCount", MAX_ATTEMPTS);

        Exchange done = deliver(body, headers);

        MockEndpoint.assertIsSatisfied(context, 5, TimeUnit.SECONDS);
        assertThat(done.getException()).isNull();
        assertThat(dlq.getReceivedExchanges().get(0).getIn()
                .getHeader("deadLetterReason", String.class))
                .startsWith("retries exhausted after " + MAX_ATTEMPTS + " attempts")
                .contains("Rate exceeded");
    }

    @Test
    void retryable_error_before_the_last_attempt_is_not_dead_lettered() {
        sns.failNextWith(FakeSnsClient.awsError(400, "Throttling", "Rate exceeded"));
        Map<String, Object> headers = jms(APP);
        headers.put("JMSXDeliveryCount", MAX_ATTEMPTS - 1);

        Exchange done = deliver(event("001-message.new.json"), headers);

        assertThat(done.getException()).isNotNull();
        assertThat(getMockEndpoint("mock:dead-letter").getReceivedCounter()).isZero();
    }

    @Test
    void redelivery_after_a_retryable_error_publishes_once() {
        String body = event("001-message.new.json");
        sns.failNextWith(SdkClientException.create("Connection reset"));
        Map<String, Object> first = jms(APP, "evt-3");
        Map<String, Object> second = jms(APP, "evt-3");
        second.put("JMSXDeliveryCount", 2);

        Exchange failed = deliver(body, first);
        Exchange redelivered = deliver(body, second);

        assertThat(failed.getException()).isNotNull();
        assertThat(redelivered.getException()).isNull();
        assertThat(sns.attempts()).hasSize(2);
        assertThat(sns.published()).extracting(PublishRequest::message).containsExactly(body);
        assertThat(scraped("relay_events_published_total", "app", APP)).isEqualTo(1.0);
    }

    // --- Deliberate discards --------------------------------------------------------------------

    @Test
    void event_type_not_in_the_apps_event_types_is_discarded_and_counted() {
        String reaction = event("006-reaction.new.json");
        String message = event("001-message.new.json");

        Exchange discarded = deliver(reaction, jms(FILTERED_APP));
        deliver(message, jms(FILTERED_APP));

        assertThat(discarded.getException()).isNull();
        assertThat(sns.attempts()).extracting(PublishRequest::message).containsExactly(message);
        assertThat(scraped("relay_events_dropped_total", "app", FILTERED_APP,
                "reason", "event_type")).isEqualTo(1.0);
        assertThat(getMockEndpoint("mock:dead-letter").getReceivedCounter()).isZero();
    }

    @Test
    void empty_event_types_delivers_types_invented_later() {
        String future = event("071-ai_summary.ready.json");

        deliver(future, jms(APP));

        assertThat(sns.published()).singleElement().satisfies(r -> {
            assertThat(r.message()).isEqualTo(future);
            assertThat(r.messageAttributes().get(ATTRIBUTE).stringValue())
                    .isEqualTo("ai_summary.ready");
        });
    }

    @Test
    void disabled_app_discards_its_events_and_counts_them() {
        Exchange done = deliver(event("001-message.new.json"), jms(PAUSED_APP));

        assertThat(done.getException()).isNull();
        assertThat(sns.attempts()).isEmpty();
        assertThat(scraped("relay_events_dropped_total", "app", PAUSED_APP,
                "reason", "disabled")).isEqualTo(1.0);
        assertThat(getMockEndpoint("mock:dead-letter").getReceivedCounter()).isZero();
    }

    // --- FIFO topics ----------------------------------------------------------------------------

    @Test
    void fifo_publish_groups_by_channel_and_deduplicates_by_event_id() {
        String body = event("001-message.new.json");

        deliver(body, jms(FIFO_APP, "wh-0001"));

        assertThat(sns.published()).singleElement().satisfies(r -> {
            assertThat(r.topicArn()).isEqualTo(FIFO_TOPIC);
            assertThat(r.messageGroupId()).isEqualTo("messaging:orbit-team-4f1c");
            assertThat(r.messageDeduplicationId())
                    .isEqualTo(Delivery.deduplicationId(FIFO_APP, "wh-0001", body));
            assertThat(r.message()).isEqualTo(body);
        });
    }

    @Test
    void fifo_event_without_a_channel_is_grouped_by_app() {
        deliver(event("018-channel.muted.json"), jms(FIFO_APP, "wh-0002"));

        assertThat(sns.published()).singleElement()
                .satisfies(r -> assertThat(r.messageGroupId()).isEqualTo(FIFO_APP));
    }

    @Test
    void fifo_redelivery_keeps_the_deduplication_id() {
        String body = event("001-message.new.json");
        sns.failNextWith(FakeSnsClient.awsError(500, "InternalError", "internal error"));
        Map<String, Object> redelivery = jms(FIFO_APP, "wh-0003");
        redelivery.put("JMSXDeliveryCount", 2);

        deliver(body, jms(FIFO_APP, "wh-0003"));
        deliver(body, redelivery);

        String id = Delivery.deduplicationId(FIFO_APP, "wh-0003", body);
        assertThat(sns.attempts()).extracting(PublishRequest::messageDeduplicationId)
                .containsExactly(id, id);
    }

    @Test
    void fifo_event_from_a_jms_producer_without_event_id_is_deduplicated_by_message_id() {
        Map<String, Object> headers = jms(FIFO_APP);
        headers.put("JMSMessageID", "ID:5e2c1f0a-aa11-11ef-9d3b-0242ac120002");

        deliver(event("001-message.new.json"), headers);
        deliver(event("001-message.new.json"), headers);

        String id = Delivery.deduplicationId(FIFO_APP, "ID:5e2c1f0a-aa11-11ef-9d3b-0242ac120002",
                event("001-message.new.json"));
        assertThat(sns.published()).extracting(PublishRequest::messageDeduplicationId)
                .containsExactly(id, id);
    }

    @Test
    void two_apps_on_one_fifo_topic_get_different_deduplication_ids_for_the_same_event_id() {
        String body = event("001-message.new.json");
        assertThat(Delivery.deduplicationId("app-a", "order-1", body))
                .isNotEqualTo(Delivery.deduplicationId("app-b", "order-1", body))
                .hasSize(64);
    }

    @Test
    void fifo_event_with_an_empty_or_unusable_channel_is_grouped_by_app() {
        deliver("{\"type\":\"message.new\",\"cid\":\"\"}", jms(FIFO_APP, "wh-0005"));
        deliver("{\"type\":\"message.new\",\"cid\":\"a b ü\"}", jms(FIFO_APP, "wh-0006"));

        assertThat(sns.published()).extracting(PublishRequest::messageGroupId)
                .containsExactly(FIFO_APP, FIFO_APP);
    }

    // --- Helpers --------------------------------------------------------------------------------

    /** One delivery attempt, as the JMS consumer would hand it to the route. */
    private Exchange deliver(Object body, Map<String, Object> headers) {
        return template.send("direct:deliver", exchange -> {
            exchange.getIn().setHeaders(new LinkedHashMap<>(headers));
            exchange.getIn().setBody(body);
        });
    }

    /** The properties a first delivery from Artemis carries. */
    private static Map<String, Object> jms(String app) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(Delivery.APP_ID, app);
        headers.put("JMSXDeliveryCount", 1);
        return headers;
    }

    private static Map<String, Object> jms(String app, String eventId) {
        Map<String, Object> headers = jms(app);
        headers.put(Delivery.EVENT_ID, eventId);
        return headers;
    }

    private static AwsErrorDetails details(String code, String message) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(message)
                .serviceName("Sns").build();
    }

    /**
     * A message.new event whose publish size (message plus the event_type attribute) is exactly
     * {@code size} UTF-8 bytes, or one more when {@code oneByteOver}. Its text is mostly 3-byte
     * CJK with a 4-byte emoji and a 2-byte char at the very end; the one-over variant swaps that
     * 2-byte char for a 3-byte one, so both have the same length in chars and in code points.
     */
    private static String eventOfPublishSize(String type, int size, boolean oneByteOver) {
        String head = "{\"type\":\"" + type + "\",\"text\":\"";
        String tail = "😀";
        String end = "\"}";
        int attribute = utf8(ATTRIBUTE) + utf8("String") + utf8(type);
        int room = size - attribute - utf8(head) - utf8(tail) - utf8(end);
        // room = 3 * cjk + 2 * twoByte, with at least one 2-byte char to swap.
        int twoByte = 1;
        while ((room - 2 * twoByte) % 3 != 0) {
            twoByte++;
        }
        int cjk = (room - 2 * twoByte) / 3;
        String body = head + "界".repeat(cjk) + "é".repeat(twoByte - 1)
                + (oneByteOver ? "中" : "é") + tail + end;
        int expected = oneByteOver ? size + 1 : size;
        assertThat(utf8(body) + attribute).as("fixture size").isEqualTo(expected);
        return body;
    }

    /** Pads a JSON string value with CJK and ASCII so the whole message is {@code bytes}. */
    private static String padTo(String head, int bytes) {
        String end = "\"}";
        int room = bytes - utf8(head) - utf8(end);
        String body = head + "界".repeat(room / 3) + "a".repeat(room % 3) + end;
        assertThat(utf8(body)).as("fixture size").isEqualTo(bytes);
        return body;
    }

    private static int utf8(String s) {
        return s.getBytes(UTF_8).length;
    }

    /** Collects what Delivery logs during one test. */
    private static ListAppender<ILoggingEvent> captureLog() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(Delivery.class)).addAppender(appender);
        return appender;
    }

    private static void releaseLog(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(Delivery.class)).detachAppender(appender);
    }
}
