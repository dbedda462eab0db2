package dev.snsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snsrelay.ingest.Signatures;
import dev.snsrelay.testing.TestSecrets;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input, over HTTP and over JMS, each ending in a clear answer and nothing published; and the
 * good-input variants that must still work: gzip, signatures, retried sends.
 */
class IngestHardeningEndToEndTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DECODED_CAP = 300_000;

    @TempDir
    static Path dataDir;

    private static String token;
    private static String ingestSecret;
    private static LocalSns sns;
    private static RunningRelay relay;
    private static Subscription topic;
    private static Subscription signedTopic;
    private static Subscription badTopic;

    @BeforeAll
    static void start() throws Exception {
        token = TestSecrets.newSecret("HardeningToken");
        ingestSecret = TestSecrets.newSecret("Ingest");
        sns = LocalSns.start();
        topic = sns.topicWithQueue("hardening-events", "hardening-consumer");
        signedTopic = sns.topicWithQueue("signed-events", "signed-consumer");
        badTopic = sns.topicWithQueue("bad-input-events", "bad-input-consumer");
        relay = RunningRelay.builder(dataDir)
                .snsEndpoint(sns.endpoint().toString())
                .property("relay.admin.token", token)
                .property("relay.ingest.max-body-bytes", String.valueOf(DECODED_CAP))
                .app("open-app", topic.topicArn())
                .app("signed-app", signedTopic.topicArn())
                .app("bad-app", badTopic.topicArn())
                .property("relay.apps.signed-app.ingest_secret", ingestSecret)
                .start();
    }

    @AfterAll
    static void stop() {
        if (relay != null) {
            relay.close();
        }
        if (sns != null) {
            sns.close();
        }
    }

    @Test
    void every_kind_of_bad_body_gets_a_400_with_its_code_and_nothing_is_published()
            throws Exception {
        assertRejected(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"',
            '}'}, 400, "invalid_utf8");
        assertRejected(bytes("{\"type\":\"message.new\""), 400, "invalid_json");
        assertRejected(bytes("{\"type\":\"message.new\"} trailing"), 400, "invalid_json");
        assertRejected(bytes("{'single':'quotes'}"), 400, "invalid_json");
        assertRejected(new byte[0], 400, "empty_body");
        assertRejected(bytes("   "), 400, "empty_body");
        assertRejected(bytes("null"), 400, "not_an_object");
        assertRejected(bytes("[{\"type\":\"message.new\"}]"), 400, "not_an_object");
        assertRejected(bytes("\"message.new\""), 400, "not_an_object");
        assertRejected(bytes("42"), 400, "not_an_object");
        // Far deeper than any stack could recurse through: refused, not a crash.
        String deep = "{\"a\":".repeat(40_000) + "1" + "}".repeat(40_000);
        assertRejected(bytes(deep), 400, "too_deep");

        String sentinel = "{\"type\":\"message.new\",\"after\":\"bad input\"}";
        assertThat(relay.postEvent("bad-app", bytes(sentinel), null).statusCode())
                .isEqualTo(202);
        await().atMost(ARRIVAL).until(() -> badTopic.bodies().contains(sentinel));
        assertThat(badTopic.bodies()).containsOnly(sentinel);
    }

    @Test
    void a_wrong_content_type_gets_415_and_an_oversized_body_gets_413() throws Exception {
        var text = relay.send(HttpRequest.newBuilder(relay.uri("/v1/apps/open-app/events"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"x\"}")));
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(json(text).get("code").asText()).isEqualTo("unsupported_media_type");

        var form = relay.send(HttpRequest.newBuilder(relay.uri("/v1/apps/open-app/events"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=b&c.d=e")));
        assertThat(form.statusCode()).isEqualTo(415);

        byte[] huge = bytes("{\"type\":\"message.new\",\"text\":\"" + "x".repeat(500_000)
                + "\"}");
        var tooLarge = relay.postEvent("open-app", huge, null);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(json(tooLarge).get("code").asText()).isEqualTo("body_too_large");
    }

    @Test
    void a_body_declared_over_the_cap_gets_its_413_before_it_is_sent() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(),
                relay.uri("/").getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/apps/open-app/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: "
                    + (DECODED_CAP + 1) + "\r\n\r\n{\"type\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            // Only the headers and a few bytes were sent: the answer comes without the rest.
            String answer = readAnswer(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413");
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            assertThat(JSON.readTree(body).get("code").asText()).isEqualTo("body_too_large");
        }
    }

    /** The status line, headers and a Content-Length body of one HTTP answer. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the answer ended early: " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(headers);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void a_gzip_body_is_decoded_and_published_byte_for_byte() throws Exception {
        String event = SampleEvents.named("064-message.new.json").text();
        var r = relay.send(gzipRequest("open-app", gzip(bytes(event))));
        assertThat(r.statusCode()).isEqualTo(202);
        await().atMost(ARRIVAL).until(() -> topic.bodies().contains(event));
    }

    @Test
    void a_decompression_bomb_gets_413_and_broken_gzip_400() throws Exception {
        byte[] bomb = gzip(bytes("{\"type\":\"message.new\",\"pad\":\""
                + " ".repeat(50_000_000) + "\"}"));
        assertThat(bomb.length).isLessThan(400_000);
        var r = relay.send(gzipRequest("open-app", bomb));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).get("code").asText()).isEqualTo("body_too_large");

        var broken = relay.send(gzipRequest("open-app", bytes("not gzip at all")));
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(json(broken).get("code").asText()).isEqualTo("invalid_gzip");

        var brotli = relay.send(HttpRequest.newBuilder(relay.uri("/v1/apps/open-app/events"))
                .header("Content-Type", "application/json").header("Content-Encoding", "br")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(brotli.statusCode()).isEqualTo(415);
    }

    @Test
    void a_signed_app_accepts_only_events_whose_signature_matches() throws Exception {
        byte[] event = bytes("{\"type\":\"message.new\",\"signed\":true}");
        var missing = relay.postEvent("signed-app", event, null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(json(missing).get("code").asText()).isEqualTo("invalid_signature");

        var wrong = relay.send(signedRequest(event, Signatures.sign(event, "not-the-secret")));
        assertThat(wrong.statusCode()).isEqualTo(401);
        var garbage = relay.send(signedRequest(event, "zz-not-hex"));
        assertThat(garbage.statusCode()).isEqualTo(401);

        var right = relay.send(signedRequest(event, Signatures.sign(event, ingestSecret)));
        assertThat(right.statusCode()).isEqualTo(202);

        // The signature covers the uncompressed body.
        byte[] second = bytes("{\"type\":\"message.new\",\"signed\":\"gzip\"}");
        var zipped = relay.send(gzipRequest("signed-app", gzip(second))
                .header("X-Signature", Signatures.sign(second, ingestSecret).toUpperCase()));
        assertThat(zipped.statusCode()).isEqualTo(202);

        await().atMost(ARRIVAL).until(() -> signedTopic.bodies().size() == 2);
        assertThat(signedTopic.bodies()).containsExactlyInAnyOrder(
                new String(event, StandardCharsets.UTF_8),
                new String(second, StandardCharsets.UTF_8));
    }

    @Test
    void a_sender_retrying_the_same_webhook_id_gets_202_and_one_publish() throws Exception {
        String event = "{\"type\":\"message.new\",\"cid\":\"messaging:dup\",\"retry\":true}";
        for (int i = 0; i < 3; i++) {
            var r = relay.postEvent("open-app", bytes(event), "dup-webhook-1");
            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(json(r).get("id").asText()).isEqualTo("dup-webhook-1");
        }
        String after = "{\"type\":\"message.new\",\"cid\":\"messaging:dup\",\"after\":true}";
        relay.postEvent("open-app", bytes(after), "dup-webhook-2");
        await().atMost(ARRIVAL).until(() -> topic.bodies().contains(after));
        assertThat(topic.bodies().stream().filter(event::equals)).hasSize(1);
    }

    @Test
    void concurrent_senders_resending_ids_get_202_each_and_one_publish_per_id() throws Exception {
        // Resends land in the same moment as new events, so they share the broker's commit
        // groups: a repeated id must cost neither the new events nor the resent one.
        List<RunningRelay.Post> posts = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 40; i++) {
                posts.add(new RunningRelay.Post("open-app",
                        "{\"type\":\"message.new\",\"cid\":\"messaging:burst\",\"n\":" + i
                                + "}", "burst-" + i));
            }
        }
        Collections.shuffle(posts, new Random(7));
        assertThat(relay.postAll(posts)).containsOnly(202);

        Set<String> expected = posts.stream().map(RunningRelay.Post::body)
                .collect(Collectors.toSet());
        await().atMost(ARRIVAL).until(() -> topic.bodies().containsAll(expected));
        String after = "{\"type\":\"message.new\",\"cid\":\"messaging:burst\",\"after\":1}";
        relay.postEvent("open-app", bytes(after), "burst-after");
        await().atMost(ARRIVAL).until(() -> topic.bodies().contains(after));
        assertThat(topic.bodies().stream().filter(expected::contains)).hasSize(40);
    }

    @Test
    void poison_jms_messages_are_dead_lettered_once_with_their_reason() throws Exception {
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(relay.brokerUrl(),
                RunningRelay.BROKER_USER, RunningRelay.BROKER_PASSWORD);
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("chat.events"));
            send(s, p, "{\"type\":\"message.new\"", "open-app", "poison-json");
            send(s, p, "{\"type\":\"message.new\"}", null, "poison-no-app");
            send(s, p, "{\"type\":\"message.new\"}", "ghost-app", "poison-ghost");
            send(s, p, "[1,2,3]", "open-app", "poison-array");
        }

        await().atMost(ARRIVAL).until(() -> deadLetters().size() == 4);
        JsonNode letters = deadLetters();
        assertThat(codeOf(letters, "poison-json")).isEqualTo("InvalidEvent");
        assertThat(codeOf(letters, "poison-no-app")).isEqualTo("MissingAppId");
        assertThat(codeOf(letters, "poison-ghost")).isEqualTo("UnknownApp");
        assertThat(codeOf(letters, "poison-array")).isEqualTo("InvalidEvent");
        for (JsonNode l : letters) {
            assertThat(l.get("attempts").asInt()).isEqualTo(1);
            assertThat(l.get("reason").asText()).isNotBlank();
        }
    }

    @Test
    void producer_credentials_can_only_send_to_the_events_queue() throws Exception {
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(relay.brokerUrl(),
                RunningRelay.BROKER_USER, RunningRelay.BROKER_PASSWORD);
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> s.createConsumer(s.createQueue("chat.events")))
                    .isInstanceOf(jakarta.jms.JMSSecurityException.class);
            assertThatThrownBy(() -> s.createBrowser(s.createQueue("chat.events.DLQ"))
                    .getEnumeration().hasMoreElements())
                    .isInstanceOf(jakarta.jms.JMSSecurityException.class);
            assertThatThrownBy(() -> s.createProducer(s.createQueue("chat.events.DLQ"))
                    .send(s.createTextMessage("{}")))
                    .isInstanceOf(jakarta.jms.JMSSecurityException.class);
        }
    }

    @Test
    void a_stream_message_is_dead_lettered_at_once_as_an_invalid_event() throws Exception {
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(relay.brokerUrl(),
                RunningRelay.BROKER_USER, RunningRelay.BROKER_PASSWORD);
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.StreamMessage m = s.createStreamMessage();
            m.writeString("{\"type\":\"message.new\"}");
            m.setStringProperty("appId", "open-app");
            m.setStringProperty("eventId", "stream-1");
            s.createProducer(s.createQueue("chat.events")).send(m);
        }
        await().atMost(ARRIVAL).until(() -> codeOf(deadLetters(), "stream-1") != null);
        assertThat(codeOf(deadLetters(), "stream-1")).isEqualTo("InvalidEvent");
    }

    @Test
    void credentials_and_event_headers_in_the_query_string_are_refused() throws Exception {
        var inUrl = relay.admin("GET", "/v1/apps?Authorization=Bearer%20" + token, null,
                null);
        assertThat(inUrl.statusCode()).isEqualTo(400);
        assertThat(json(inUrl).get("code").asText()).isEqualTo("token_in_query");

        var signature = relay.send(HttpRequest.newBuilder(
                        relay.uri("/v1/apps/open-app/events?X-Webhook-Id=from-url"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"x\"}")));
        assertThat(signature.statusCode()).isEqualTo(400);
        assertThat(json(signature).get("code").asText()).isEqualTo("header_in_query");
    }

    @Test
    void an_over_long_settings_field_is_a_400_that_names_it() throws Exception {
        var r = relay.admin("PATCH", "/v1/apps/long-app/settings", token,
                "{\"sns_topic_arn\":\"" + topic.topicArn() + "\",\"sns_auth_type\":\"keys\","
                        + "\"sns_key\":\"AKIALONGAPP000000001\",\"sns_secret\":\""
                        + "s".repeat(2_000) + "\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("field").asText()).isEqualTo("sns_secret");
        assertThat(r.body()).doesNotContain("sss");
    }

    @Test
    void a_crafted_event_type_cannot_forge_a_log_line() throws Exception {
        relay.admin("PATCH", "/v1/apps/tiny-app/settings", token,
                "{\"sns_topic_arn\":\"" + topic.topicArn() + "\",\"sns_auth_type\":\"keys\","
                        + "\"sns_key\":\"AKIATINYAPP000000001\",\"sns_secret\":\""
                        + TestSecrets.newSecret("Tiny") + "\",\"max_message_bytes\":40}");
        String forged = "{\"type\":\"x\\n12:00:00.000 INFO  [main] d.s.admin.AdminToken - "
                + "FORGED-LINE-7Q\",\"pad\":\"" + "p".repeat(100) + "\"}";
        assertThat(relay.postEvent("tiny-app", bytes(forged), "forge-1").statusCode())
                .isEqualTo(202);
        Path log = Path.of("target/test-logs/suite.log");
        await().atMost(ARRIVAL).until(() -> java.nio.file.Files.readString(log)
                .contains("FORGED-LINE-7Q"));
        assertThat(java.nio.file.Files.readAllLines(log))
                .noneMatch(line -> line.startsWith("12:00:00.000") && line.contains("FORGED"));
    }

    private static void send(Session s, MessageProducer p, String body, String app, String id)
            throws Exception {
        TextMessage m = s.createTextMessage(body);
        if (app != null) {
            m.setStringProperty("appId", app);
        }
        m.setStringProperty("eventId", id);
        p.send(m);
    }

    private static JsonNode deadLetters() throws Exception {
        return json(relay.admin("GET", "/v1/dead_letters", token, null)).get("dead_letters");
    }

    private static String codeOf(JsonNode letters, String eventId) {
        for (JsonNode l : letters) {
            if (eventId.equals(l.path("event_id").asText())) {
                return l.get("code").asText();
            }
        }
        return null;
    }

    private static void assertRejected(byte[] body, int status, String code) throws Exception {
        HttpResponse<String> r = relay.postEvent("bad-app", body, null);
        assertThat(r.statusCode()).as(code).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(r).get("code").asText()).isEqualTo(code);
        assertThat(json(r).get("error").asText()).isNotBlank();
    }

    private static HttpRequest.Builder gzipRequest(String app, byte[] body) {
        return HttpRequest.newBuilder(relay.uri("/v1/apps/" + app + "/events"))
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static HttpRequest.Builder signedRequest(byte[] body, String signature) {
        return HttpRequest.newBuilder(relay.uri("/v1/apps/signed-app/events"))
                .header("Content-Type", "application/json")
                .header("X-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static byte[] gzip(byte[] raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        }
        return out.toByteArray();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
