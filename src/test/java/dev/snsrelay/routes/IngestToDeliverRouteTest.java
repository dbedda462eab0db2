package dev.snsrelay.routes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.snsrelay.deliver.Delivery;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * Both routes together: what ingest-http puts on the queue is handed to deliver the way the JMS
 * consumer would (the queued body and properties, plus the broker's JMS headers), so the
 * contract between the two files (property names, the event id) is checked end to end.
 */
class IngestToDeliverRouteTest extends RouteTestSupport {

    @Override
    String[] routeFiles() {
        return new String[] {"routes/ingest-http.camel.yaml", "routes/deliver.camel.yaml"};
    }

    @Override
    void adviseRoutes() throws Exception {
        AdviceWith.adviceWith(context, "ingest-http", route -> {
            route.replaceFromWith("direct:ingest");
            route.weaveById("queue-event").replace().to("mock:queue");
        });
        AdviceWith.adviceWith(context, "deliver", route -> {
            route.replaceFromWith("direct:deliver");
            route.weaveByToUri("jms:queue:*").replace().to("mock:dead-letter");
        });
    }

    @Test
    void posted_event_reaches_sns_byte_for_byte_with_only_the_event_type_attribute()
            throws Exception {
        String sample = event("069-message.new.json");
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer do-not-forward");
        headers.put("X-Signature", "0123abcd");

        Exchange done = deliver(post(APP, sample, "wh-flow-1", headers), 1);

        assertThat(done.getException()).isNull();
        assertThat(sns.published()).singleElement().satisfies(r -> {
            assertThat(r.message()).isEqualTo(sample);
            assertThat(r.messageAttributes()).containsOnlyKeys("event_type");
        });
        // Counted once, where it came in: the deliver route does not count it again as jms.
        assertThat(scraped("relay_events_received_total", "app", APP, "channel", "http"))
                .isEqualTo(1.0);
        assertThat(scraped("relay_events_received_total", "app", APP, "channel", "jms"))
                .isZero();
    }

    @Test
    void webhook_id_is_the_fifo_deduplication_id_on_every_redelivery() throws Exception {
        sns.failNextWith(FakeSnsClient.awsError(400, "Throttling", "Rate exceeded"));
        Message queued = post(FIFO_APP, event("001-message.new.json"), "wh-flow-2", Map.of());

        Exchange first = deliver(queued, 1);
        Exchange second = deliver(queued, 2);

        assertThat(first.getException()).isNotNull();
        assertThat(second.getException()).isNull();
        assertThat(sns.attempts()).hasSize(2).allSatisfy(r -> {
            assertThat(r.messageDeduplicationId()).isEqualTo(Delivery.deduplicationId(FIFO_APP,
                    "wh-flow-2", event("001-message.new.json")));
            assertThat(r.messageGroupId()).isEqualTo("messaging:orbit-team-4f1c");
        });
        assertThat(sns.published()).extracting(PublishRequest::topicArn)
                .containsExactly(FIFO_TOPIC);
    }

    /** Posts an event and returns the message ingest-http queued for it. */
    private Message post(String app, String body, String webhookId,
            Map<String, Object> extraHeaders) throws Exception {
        MockEndpoint queue = getMockEndpoint("mock:queue");
        queue.reset();
        queue.expectedMessageCount(1);
        Exchange reply = template.send("direct:ingest", exchange -> {
            exchange.getIn().setHeaders(new LinkedHashMap<>(extraHeaders));
            exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
            exchange.getIn().setHeader("X-Webhook-Id", webhookId);
            exchange.getIn().setHeader("app", app);
            exchange.getIn().setBody(body.getBytes(UTF_8));
        });
        MockEndpoint.assertIsSatisfied(context, 5, TimeUnit.SECONDS);
        assertThat(reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(202);
        return queue.getReceivedExchanges().get(0).getIn();
    }

    /** Hands the queued message to deliver as delivery attempt {@code attempt}. */
    private Exchange deliver(Message queued, int attempt) {
        return template.send("direct:deliver", exchange -> {
            exchange.getIn().setHeaders(new LinkedHashMap<>(queued.getHeaders()));
            exchange.getIn().setHeader("JMSMessageID", "ID:broker-assigned-1");
            exchange.getIn().setHeader("JMSXDeliveryCount", attempt);
            exchange.getIn().setBody(queued.getBody());
        });
    }
}
