package dev.snsrelay.routes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.snsrelay.deliver.Delivery;
import dev.snsrelay.ingest.HttpIngest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * routes/ingest-http.camel.yaml: POST /v1/apps/{app}/events. The platform-http consumer becomes
 * direct:ingest, fed the headers Vert.x would set (the path parameter "app", the request
 * headers), and the queue producer a mock; the reply is what the HTTP client would get.
 */
class IngestHttpRouteTest extends RouteTestSupport {

    private static final String JSON = "application/json";

    @Override
    String[] routeFiles() {
        return new String[] {"routes/ingest-http.camel.yaml"};
    }

    @Override
    void adviseRoutes() throws Exception {
        AdviceWith.adviceWith(context, "ingest-http", route -> {
            route.replaceFromWith("direct:ingest");
            route.weaveById("queue-event").replace().to("mock:queue");
        });
    }

    // --- Accepted events ------------------------------------------------------------------------

    @Test
    void valid_event_is_queued_unchanged_with_only_the_relays_properties() throws Exception {
        String sample = event("064-message.new.json");
        MockEndpoint queue = getMockEndpoint("mock:queue");
        queue.expectedBodiesReceived(sample);
        Map<String, Object> headers = request(JSON);
        headers.put("X-Webhook-Id", "wh-2024-0001");
        headers.put("X-Signature", "0123abcd");
        headers.put("Authorization", "Bearer do-not-forward");
        headers.put("User-Agent", "Stream-Webhook-Client/1.0");

        Exchange reply = post(APP, sample.getBytes(UTF_8), headers);

        MockEndpoint.assertIsSatisfied(context, 5, TimeUnit.SECONDS);
        Message queued = queue.getReceivedExchanges().get(0).getIn();
        assertThat(queued.getBody(String.class).getBytes(UTF_8)).isEqualTo(sample.getBytes(UTF_8));
        assertThat(queued.getHeaders()).containsOnlyKeys(Delivery.APP_ID, Delivery.EVENT_ID,
                Delivery.EVENT_TYPE, Delivery.SOURCE, HttpIngest.DUPLICATE_ID);
        assertThat(queued.getHeader(Delivery.APP_ID)).isEqualTo(APP);
        assertThat(queued.getHeader(Delivery.EVENT_ID)).isEqualTo("wh-2024-0001");
        // The broker's duplicate detection key: a resent webhook is queued once.
        assertThat(queued.getHeader(HttpIngest.DUPLICATE_ID)).isEqualTo(APP + ":wh-2024-0001");
        assertThat(queued.getHeader(Delivery.EVENT_TYPE)).isEqualTo("message.new");
        assertThat(queued.getHeader(Delivery.SOURCE)).isEqualTo("http");

        assertThat(status(reply)).isEqualTo(202);
        assertThat(json(reply).get("id").asText()).isEqualTo("wh-2024-0001");
        assertThat(json(reply).size()).isEqualTo(1);
        assertThat(scraped("relay_events_received_total", "app", APP, "channel", "http"))
                .isEqualTo(1.0);
    }

    @Test
    void event_without_webhook_id_gets_a_fresh_id_that_is_queued_and_answered() throws Exception {
        MockEndpoint queue = getMockEndpoint("mock:queue");
        queue.expectedMessageCount(2);

        Exchange first = post(APP, event("001-message.new.json").getBytes(UTF_8), request(JSON));
        Exchange second = post(APP, event("001-message.new.json").getBytes(UTF_8), request(JSON));

        MockEndpoint.assertIsSatisfied(context, 5, TimeUnit.SECONDS);
        String firstId = json(first).get("id").asText();
        assertThat(firstId).isNotBlank().isNotEqualTo(json(second).get("id").asText());
        assertThat(queue.getReceivedExchanges().get(0).getIn().getHeader(Delivery.EVENT_ID))
                .isEqualTo(firstId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"066-message.new.json", "069-message.new.json"})
    void big_integers_and_escapes_are_queued_byte_for_byte(String file) throws Exception {
        String sample = event(file);
        MockEndpoint queue = getMockEndpoint("mock:queue");
        queue.expectedBodiesReceived(sample);

        Exchange reply = post(APP, sample.getBytes(UTF_8), request(JSON));

        MockEndpoint.assertIsSatisfied(context, 5, TimeUnit.SECONDS);
        assertThat(status(reply)).isEqualTo(202);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json; charset=utf-8",
        "Application/JSON;charset=\"UTF-8\""})
    void json_content_type_with_utf8_charset_is_accepted(String contentType) {
        Exchange reply = post(APP, event("001-message.new.json").getBytes(UTF_8),
                request(contentType));

        assertThat(status(reply)).isEqualTo(202);
    }

    @Test
    void response_echoes_no_request_header() {
        Map<String, Object> headers = request(JSON);
        headers.put("Authorization", "Bearer do-not-echo");
        headers.put("Cookie", "session=secret");
        headers.put("X-Webhook-Id", "wh-1");

        Exchange accepted = post(APP, event("001-message.new.json").getBytes(UTF_8), headers);
        Exchange refused = post(APP, "{oops".getBytes(UTF_8), headers);

        for (Exchange reply : new Exchange[] {accepted, refused}) {
            assertThat(reply.getMessage().getHeaders()).containsOnlyKeys(
                    Exchange.HTTP_RESPONSE_CODE, Exchange.CONTENT_TYPE, Exchange.CONTENT_LENGTH);
            assertThat(reply.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo(JSON);
            assertThat(reply.getMessage().getHeader(Exchange.CONTENT_LENGTH))
                    .isEqualTo(reply.getMessage().getBody(byte[].class).length);
        }
    }

    // --- Refused requests -----------------------------------------------------------------------

    @Test
    void event_type_over_255_characters_is_a_400_type_too_long() throws Exception {
        String longest = "{\"type\":\"" + "t".repeat(255) + "\",\"text\":\"fits\"}";
        String over = "{\"type\":\"" + "t".repeat(256) + "\",\"text\":\"too long\"}";
        assertRefused(post(APP, over.getBytes(UTF_8), request(JSON)), 400, "type_too_long");

        MockEndpoint queue = getMockEndpoint("mock:queue");
        queue.expectedBodiesReceived(longest);
        assertThat(status(post(APP, longest.getBytes(UTF_8), request(JSON)))).isEqualTo(202);
        MockEndpoint.assertIsSatisfied(context, 5, TimeUnit.SECONDS);
    }

    @Test
    void fifo_channel_that_sns_would_not_take_as_a_group_orders_by_app_instead() throws Exception {
        String longChannel = "{\"type\":\"message.new\",\"cid\":\"" + "c".repeat(200_000) + "\"}";
        String shortChannel = "{\"type\":\"message.new\",\"cid\":\"messaging:general\"}";
        MockEndpoint queue = getMockEndpoint("mock:queue");
        queue.expectedMessageCount(2);

        post(FIFO_APP, longChannel.getBytes(UTF_8), request(JSON));
        post(FIFO_APP, shortChannel.getBytes(UTF_8), request(JSON));

        MockEndpoint.assertIsSatisfied(context, 5, TimeUnit.SECONDS);
        // The same group SNS will get (the channel when it is a valid group id, else the app),
        // so the queue never holds a property as long as the channel.
        assertThat(queue.getReceivedExchanges()).extracting(
                e -> e.getIn().getHeader(HttpIngest.GROUP_ID, String.class))
                .containsExactly(FIFO_APP + ":" + FIFO_APP, FIFO_APP + ":messaging:general");
    }

    @Test
    void body_that_is_not_json_is_a_400_invalid_json() {
        assertRefused(post(APP, "this is not json".getBytes(UTF_8), request(JSON)),
                400, "invalid_json");
        assertRefused(post(APP, "{\"type\":\"message.new\"".getBytes(UTF_8), request(JSON)),
                400, "invalid_json");
        assertThat(scraped("relay_events_rejected_total", "app", APP, "code", "invalid_json"))
                .isEqualTo(2.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[{\"type\":\"message.new\"}]", "null", "\"message.new\"", "42"})
    void json_that_is_not_an_object_is_a_400_not_an_object(String body) {
        assertRefused(post(APP, body.getBytes(UTF_8), request(JSON)), 400, "not_an_object");
    }

    @Test
    void empty_body_is_a_400_empty_body() {
        assertRefused(post(APP, new byte[0], request(JSON)), 400, "empty_body");
    }

    @Test
    void invalid_utf8_is_a_400_invalid_utf8() {
        // A lone continuation byte and a truncated 3-byte sequence inside a string value.
        byte[] body = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0x80, (byte) 0xE7,
            (byte) 0x95, '"', '}'};

        assertRefused(post(APP, body, request(JSON)), 400, "invalid_utf8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded",
        "application/json; charset=iso-8859-1", ""})
    void wrong_content_type_is_a_415(String contentType) {
        Map<String, Object> headers = request(contentType.isEmpty() ? null : contentType);

        assertRefused(post(APP, event("001-message.new.json").getBytes(UTF_8), headers),
                415, "unsupported_media_type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nobody", "bad app!", "a.b"})
    void unknown_app_is_a_404(String app) {
        assertRefused(post(app, event("001-message.new.json").getBytes(UTF_8), request(JSON)),
                404, "unknown_app");
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "semi;colon", "ünïcode"})
    void invalid_webhook_id_is_a_400(String webhookId) {
        Map<String, Object> headers = request(JSON);
        headers.put("X-Webhook-Id", webhookId);

        assertRefused(post(APP, event("001-message.new.json").getBytes(UTF_8), headers),
                400, "invalid_webhook_id");
    }

    @Test
    void webhook_id_longer_than_128_chars_is_a_400() {
        Map<String, Object> headers = request(JSON);
        headers.put("X-Webhook-Id", "w".repeat(129));

        assertRefused(post(APP, event("001-message.new.json").getBytes(UTF_8), headers),
                400, "invalid_webhook_id");
    }

    @Test
    void queue_refusing_the_event_is_a_503_without_details() {
        getMockEndpoint("mock:queue").whenAnyExchangeReceived(exchange -> {
            throw new IllegalStateException("AMQ219019: Session is closed");
        });

        Exchange reply = post(APP, event("001-message.new.json").getBytes(UTF_8), request(JSON));

        assertThat(status(reply)).isEqualTo(503);
        assertThat(json(reply).get("code").asText()).isEqualTo("queue_unavailable");
        assertThat(reply.getMessage().getBody(String.class)).doesNotContain("AMQ219019");
    }

    // --- Helpers --------------------------------------------------------------------------------

    /** One request, as platform-http hands it to the route. */
    private Exchange post(String app, byte[] body, Map<String, Object> headers) {
        return template.send("direct:ingest", exchange -> {
            exchange.getIn().setHeaders(new LinkedHashMap<>(headers));
            exchange.getIn().setHeader("app", app);
            exchange.getIn().setBody(body);
        });
    }

    /** The headers platform-http sets for a POST with this Content-Type (none if null). */
    private static Map<String, Object> request(String contentType) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(Exchange.HTTP_METHOD, "POST");
        headers.put(Exchange.HTTP_PATH, "/v1/apps/x/events");
        headers.put("Host", "127.0.0.1:8080");
        if (contentType != null) {
            headers.put(Exchange.CONTENT_TYPE, contentType);
        }
        return headers;
    }

    private void assertRefused(Exchange reply, int status, String code) {
        assertThat(status(reply)).isEqualTo(status);
        JsonNode error = json(reply);
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("error").asText()).isNotBlank();
        assertThat(reply.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo(JSON);
        // A refused event is never queued.
        assertThat(getMockEndpoint("mock:queue").getReceivedCounter()).isZero();
    }

    private static int status(Exchange reply) {
        assertThat(reply.getException()).as("exception left for platform-http").isNull();
        return reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    private static JsonNode json(Exchange reply) {
        try {
            return mapper().readTree(reply.getMessage().getBody(String.class));
        } catch (Exception e) {
            throw new AssertionError("the reply is not JSON: "
                    + reply.getMessage().getBody(String.class), e);
        }
    }
}
