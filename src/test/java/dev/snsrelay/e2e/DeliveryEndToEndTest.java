package dev.snsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snsrelay.testing.TestSecrets;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's main job on real parts: the embedded broker, the HTTP server, a real SNS-compatible
 * server over HTTP, and an SQS queue subscribed to each topic with raw delivery, read back as a
 * consumer would.
 */
class DeliveryEndToEndTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;

    private static LocalSns sns;
    private static SnsOutageProxy proxy;
    private static RunningRelay relay;
    private static String token;
    private static Subscription httpTopic;
    private static Subscription jmsTopic;
    private static Subscription outageTopic;
    private static Subscription mapTopic;

    @BeforeAll
    static void start() throws Exception {
        sns = LocalSns.start();
        proxy = new SnsOutageProxy(sns.port());
        httpTopic = sns.topicWithQueue("http-events", "http-consumer");
        jmsTopic = sns.topicWithQueue("jms-events", "jms-consumer");
        outageTopic = sns.topicWithQueue("outage-events", "outage-consumer");
        mapTopic = sns.topicWithQueue("map-events", "map-consumer");
        token = TestSecrets.newSecret("DeliveryToken");
        relay = RunningRelay.builder(dataDir)
                .snsEndpoint(proxy.endpoint())
                .property("relay.admin.token", token)
                .app("http-app", httpTopic.topicArn())
                .app("jms-app", jmsTopic.topicArn())
                .app("outage-app", outageTopic.topicArn())
                .app("map-app", mapTopic.topicArn())
                .start();
    }

    @AfterAll
    static void stop() {
        if (relay != null) {
            relay.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (sns != null) {
            sns.close();
        }
    }

    @Test
    void every_sample_posted_over_http_arrives_byte_for_byte_and_the_oversize_one_is_counted()
            throws Exception {
        for (SampleEvents.Sample s : SampleEvents.all()) {
            var response = relay.postEvent("http-app", s.bytes(), s.id());
            assertThat(response.statusCode()).as(s.name()).isEqualTo(202);
            assertThat(response.body()).isEqualTo("{\"id\":\"" + s.id() + "\"}");
        }

        List<String> expected = SampleEvents.deliverable().stream()
                .map(SampleEvents.Sample::text).toList();
        await().atMost(ARRIVAL).untilAsserted(() -> assertSameEvents(httpTopic, expected));
        assertThat(relay.metric("relay_events_dropped_total",
                "app=\"http-app\",reason=\"oversize\"")).isEqualTo(1.0);
        assertThat(relay.metric("relay_events_published_total", "app=\"http-app\""))
                .isEqualTo(expected.size());
    }

    @Test
    void every_sample_sent_over_jms_from_another_process_arrives_byte_for_byte() throws Exception {
        List<String> expected = new ArrayList<>();
        try (Connection c = remoteConnection()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("chat.events"));
            boolean asBytes = false;
            for (SampleEvents.Sample s : SampleEvents.deliverable()) {
                // Alternate text and bytes messages: producers in other languages send either.
                jakarta.jms.Message m;
                if (asBytes) {
                    BytesMessage b = session.createBytesMessage();
                    b.writeBytes(s.bytes());
                    m = b;
                } else {
                    TextMessage t = session.createTextMessage(s.text());
                    m = t;
                }
                asBytes = !asBytes;
                m.setStringProperty("appId", "jms-app");
                m.setStringProperty("eventId", s.id());
                producer.send(m);
                expected.add(s.text());
            }
            SampleEvents.Sample oversize = SampleEvents.named(SampleEvents.OVERSIZE);
            TextMessage big = session.createTextMessage(oversize.text());
            big.setStringProperty("appId", "jms-app");
            producer.send(big);
        }

        await().atMost(ARRIVAL).untilAsserted(() -> assertSameEvents(jmsTopic, expected));
        await().atMost(ARRIVAL).untilAsserted(() -> assertThat(relay.metric(
                "relay_events_dropped_total", "app=\"jms-app\",reason=\"oversize\""))
                .isEqualTo(1.0));
    }

    @Test
    void a_jms_map_message_is_published_as_json() throws Exception {
        try (Connection c = remoteConnection()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MapMessage m = session.createMapMessage();
            m.setString("type", "channel.frozen");
            m.setString("cid", "messaging:map-message");
            m.setLong("member_count", 12);
            m.setStringProperty("appId", "map-app");
            session.createProducer(session.createQueue("chat.events")).send(m);
        }

        await().atMost(ARRIVAL).untilAsserted(() -> assertThat(mapTopic.bodies()).hasSize(1));
        String published = mapTopic.bodies().get(0);
        assertThat(new ObjectMapper().readValue(published, Map.class)).isEqualTo(Map.of(
                "type", "channel.frozen", "cid", "messaging:map-message", "member_count", 12));
    }

    @Test
    void a_thousand_events_posted_while_sns_is_down_all_arrive_once_it_is_back()
            throws Exception {
        List<String> expected = new ArrayList<>();
        proxy.cut();
        try {
            List<RunningRelay.Post> posts = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                String body = "{\"type\":\"message.new\",\"cid\":\"messaging:outage\",\"seq\":"
                        + i + ",\"text\":\"während des Ausfalls \\u003c" + i + "\\u003e\"}";
                posts.add(new RunningRelay.Post("outage-app", body, "outage-" + i));
                expected.add(body);
            }
            assertThat(relay.postAll(posts)).containsOnly(202);
            // Stay down for several redelivery intervals (the longest is 1 s here), until the
            // relay has failed on every event and retried many of them.
            await().atMost(ARRIVAL).pollDelay(Duration.ofSeconds(4))
                    .until(() -> proxy.refusedConnections() >= 2_000);
            assertThat(outageTopic.bodies()).isEmpty();
        } finally {
            proxy.restore();
        }

        await().atMost(ARRIVAL).untilAsserted(() -> assertSameEvents(outageTopic, expected));
        assertThat(deadLetters()).isEmpty();
        assertThat(relay.metric("relay_events_dead_lettered_total",
                "app=\"outage-app\",reason=\"ClientError\"")).isZero();
    }

    /**
     * What arrived equals what was sent, byte for byte, each exactly once, in any order. Failures
     * name the events by their first characters: whole bodies would drown the report.
     */
    static void assertSameEvents(Subscription topic, List<String> expected) {
        List<String> arrived = new ArrayList<>(topic.bodies());
        List<String> missing = new ArrayList<>(expected);
        List<String> unexpected = new ArrayList<>();
        for (String body : arrived) {
            if (!missing.remove(body)) {
                unexpected.add(body);
            }
        }
        assertThat(missing.stream().map(DeliveryEndToEndTest::head).toList())
                .as("sent but not arrived (of %d)", expected.size()).isEmpty();
        assertThat(unexpected.stream().map(DeliveryEndToEndTest::head).toList())
                .as("arrived but not sent, or arrived twice").isEmpty();
    }

    private static String head(String body) {
        return body.length() <= 100 ? body : body.substring(0, 100) + "... (" + body.length()
                + " chars)";
    }

    private static Connection remoteConnection() throws Exception {
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(relay.brokerUrl(),
                RunningRelay.BROKER_USER, RunningRelay.BROKER_PASSWORD);
        Connection c = cf.createConnection();
        c.start();
        return c;
    }

    private static List<String> deadLetters() throws Exception {
        var r = relay.admin("GET", "/v1/dead_letters", token, null);
        List<String> ids = new ArrayList<>();
        new ObjectMapper().readTree(r.body()).get("dead_letters")
                .forEach(l -> ids.add(l.path("event_id").asText()));
        return ids;
    }
}
