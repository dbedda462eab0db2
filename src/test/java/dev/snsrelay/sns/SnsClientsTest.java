package dev.snsrelay.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.snsrelay.settings.AppSettings;
import dev.snsrelay.settings.AuthType;
import dev.snsrelay.settings.TopicArn;
import org.apache.camel.Endpoint;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.LifecycleStrategySupport;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishBatchResultEntry;

class SnsClientsTest {

    /** Counts closes: a closed client is one that no longer holds anything. */
    private static final class CountingClient implements SnsClient {
        volatile boolean closed;

        @Override
        public String serviceName() {
            return "sns";
        }

        @Override
        public PublishBatchResponse publishBatch(PublishBatchRequest request) {
            return PublishBatchResponse.builder()
                    .successful(request.publishBatchRequestEntries().stream()
                            .map(e -> PublishBatchResultEntry.builder().id(e.id())
                                    .messageId("m-" + e.id()).build())
                            .toList())
                    .build();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final List<CountingClient> made = new CopyOnWriteArrayList<>();

    @Test
    void clients_of_apps_that_stay_quiet_are_closed_after_the_idle_timeout() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext();
                SnsClients clients = clients(camel, Duration.ofMillis(50))) {
            for (int i = 0; i < 100; i++) {
                clients.beanFor(app("quiet-" + i));
            }
            assertThat(clients.liveClients()).isEqualTo(100);

            await().atMost(Duration.ofSeconds(10)).until(() -> clients.liveClients() == 0);
            assertThat(made).hasSize(100).allMatch(c -> c.closed);
            assertThat(camel.getRegistry().findByType(SnsClient.class)).isEmpty();

            // The next event of a quiet app simply gets a fresh client.
            String bean = clients.beanFor(app("quiet-7"));
            assertThat(camel.getRegistry().lookupByName(bean)).isNotNull();
            assertThat(clients.liveClients()).isEqualTo(1);
        }
    }

    @Test
    void ten_thousand_active_apps_hold_no_more_clients_than_the_cap() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext();
                SnsClients clients = clients(camel, Duration.ZERO, 500)) {
            for (int i = 0; i < 10_000; i++) {
                String bean = clients.beanFor(app("busy-" + i));
                // The client just handed out is served, however many came before it.
                assertThat(camel.getRegistry().lookupByName(bean)).isNotNull();
                assertThat(clients.liveClients()).isLessThanOrEqualTo(500);
            }

            assertThat(made).hasSize(10_000);
            // Past the cap it closes down to nine tenths of it, so that it does not sort the
            // clients again for every new one.
            long open = made.stream().filter(c -> !c.closed).count();
            assertThat(open).isBetween(450L, 500L).isEqualTo(clients.liveClients());
            assertThat(camel.getRegistry().findByType(SnsClient.class)).hasSize((int) open);
            assertThat(clients.closedForCap()).isEqualTo(10_000 - open);
        }
    }

    @Test
    void the_cap_closes_the_least_recently_used_client_first() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext();
                SnsClients clients = clients(camel, Duration.ZERO, 3)) {
            String a = clients.beanFor(app("a"));
            clients.beanFor(app("b"));
            clients.beanFor(app("c"));
            // a is used again, so b is now the one that has waited longest.
            assertThat(clients.beanFor(app("a"))).isEqualTo(a);

            clients.beanFor(app("d"));

            // Four is over the cap; it closes down to two: b and c, the least recently used.
            assertThat(made.get(1).closed).as("b").isTrue();
            assertThat(made.get(2).closed).as("c").isTrue();
            assertThat(made.get(0).closed).as("a").isFalse();
            assertThat(made.get(3).closed).as("d").isFalse();
            assertThat(clients.beanFor(app("a"))).isEqualTo(a);
            assertThat(clients.liveClients()).isEqualTo(2);
        }
    }

    @Test
    void a_settings_change_closes_the_old_client_at_once() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext();
                SnsClients clients = clients(camel, Duration.ZERO)) {
            String first = clients.beanFor(app("rotating", "AKIAFIRSTKEY00000001"));
            String second = clients.beanFor(app("rotating", "AKIASECONDKEY0000002"));

            assertThat(second).isNotEqualTo(first);
            assertThat(made.get(0).closed).isTrue();
            assertThat(made.get(1).closed).isFalse();
            assertThat(camel.getRegistry().lookupByName(first)).isNull();
            assertThat(clients.liveClients()).isEqualTo(1);
        }
    }

    @Test
    void apps_beyond_the_thousand_camel_caches_by_default_keep_one_sns_endpoint_each() throws Exception {
        int apps = 1_200;
        AtomicInteger endpointsMade = new AtomicInteger();
        try (DefaultCamelContext camel = new DefaultCamelContext();
                SnsClients clients = clients(camel, Duration.ZERO, 2_000)) {
            camel.addLifecycleStrategy(new LifecycleStrategySupport() {
                @Override
                public void onEndpointAdd(Endpoint endpoint) {
                    if (endpoint.getEndpointUri().startsWith("aws2-sns:")) {
                        endpointsMade.incrementAndGet();
                    }
                }
            });
            // The shape of the publish-batch route in routes/deliver.camel.yaml.
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:publish-batch")
                            .toD("aws2-sns:${exchangeProperty.relayTopicArn}"
                                    + "?amazonSNSClient=#${exchangeProperty.relaySnsClient}"
                                    + "&autoCreateTopic=false&batchEnabled=true");
                }
            });
            camel.start();

            // Apps take turns, as they do when each sends now and then: twice round them all.
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < apps; i++) {
                    AppSettings app = app("turn-" + i);
                    String bean = clients.beanFor(app);
                    PublishBatchResponse answer = camel.createFluentProducerTemplate()
                            .to("direct:publish-batch")
                            .withProcessor(e -> {
                                e.setProperty("relayTopicArn", app.topicArn().toString());
                                e.setProperty("relaySnsClient", bean);
                                e.getMessage().setBody(List.of(PublishBatchRequestEntry.builder()
                                        .id("0").message("{}").build()));
                            })
                            .request(PublishBatchResponse.class);
                    assertThat(answer.successful()).hasSize(1);
                }
            }

            // Each app's endpoint was built once and reused: none was dropped from Camel's
            // caches and built again for the next event.
            assertThat(endpointsMade).hasValue(apps);
            assertThat(made).hasSize(apps);
        }
    }

    private SnsClients clients(DefaultCamelContext camel, Duration idle) {
        return clients(camel, idle, 10_000);
    }

    private SnsClients clients(DefaultCamelContext camel, Duration idle, int maxClients) {
        return new SnsClients(camel, new SnsClientOptions(Duration.ofSeconds(5),
                Duration.ofSeconds(2), 1, 4, "", "", idle, maxClients), s -> {
                    CountingClient c = new CountingClient();
                    made.add(c);
                    return c;
                });
    }

    private static AppSettings app(String id) {
        return app(id, "AKIATESTKEY000000001");
    }

    private static AppSettings app(String id, String key) {
        return new AppSettings(id, TopicArn.parse("arn:aws:sns:us-east-1:123456789012:" + id),
                AuthType.KEYS, key, "test-secret-value", null, null, Set.of(), true,
                AppSettings.DEFAULT_MAX_MESSAGE_BYTES, null);
    }
}
