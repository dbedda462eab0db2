package dev.snsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snsrelay.testing.TestSecrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events that cannot be delivered end in the dead-letter queue, and come back from it. */
class DeadLetterEndToEndTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    private static String token;
    private static LocalSns sns;
    private static RunningRelay relay;
    private static Subscription topic;

    @BeforeAll
    static void start() throws Exception {
        token = TestSecrets.newSecret("DeadLetterToken");
        sns = LocalSns.start();
        topic = sns.topicWithQueue("fixed-events", "fixed-consumer");
        relay = RunningRelay.builder(dataDir)
                .snsEndpoint(sns.endpoint().toString())
                .property("relay.admin.token", token)
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
    void events_for_a_wrong_topic_are_dead_lettered_then_redriven_once_the_arn_is_fixed()
            throws Exception {
        String wrongArn = topic.topicArn().replace("fixed-events", "typo-events");
        patch("typo-app", "{\"sns_topic_arn\":\"" + wrongArn + "\",\"sns_auth_type\":\"keys\","
                + "\"sns_key\":\"AKIATYPOAPP000000001\",\"sns_secret\":\""
                + TestSecrets.newSecret("Typo") + "\"}");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String event = "{\"type\":\"message.new\",\"cid\":\"messaging:typo\",\"i\":" + i + "}";
            assertThat(relay.postEvent("typo-app", bytes(event), "typo-" + i).statusCode())
                    .isEqualTo(202);
            sent.add(event);
        }

        await().atMost(ARRIVAL).until(() -> list("?app=typo-app").get("total").asInt() == 20);
        JsonNode page = list("?app=typo-app&offset=5&limit=10");
        assertThat(page.get("dead_letters")).hasSize(10);
        JsonNode first = page.get("dead_letters").get(0);
        assertThat(first.get("code").asText()).isEqualTo("NotFound");
        assertThat(first.get("reason").asText()).contains("Topic does not exist");
        assertThat(first.get("attempts").asInt()).isEqualTo(1);
        assertThat(first.get("app").asText()).isEqualTo("typo-app");
        assertThat(first.get("first_failure_at").asText()).isNotBlank();
        assertThat(first.get("last_failure_at").asText()).isNotBlank();
        assertThat(first.get("body_bytes").asLong()).isPositive();
        assertThat(first.has("body")).isFalse();
        assertThat(relay.metric("relay_dead_letters", "")).isGreaterThanOrEqualTo(20);
        assertThat(relay.metric("relay_events_dead_lettered_total",
                "app=\"typo-app\",reason=\"NotFound\"")).isEqualTo(20);

        patch("typo-app", "{\"sns_topic_arn\":\"" + topic.topicArn() + "\"}");
        var redrive = relay.admin("POST", "/v1/dead_letters/redrive", token,
                "{\"app\":\"typo-app\"}");
        assertThat(redrive.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(redrive.body()).get("redriven").asInt()).isEqualTo(20);

        await().atMost(ARRIVAL).untilAsserted(() -> DeliveryEndToEndTest.assertSameEvents(topic,
                sent));
        assertThat(list("?app=typo-app").get("total").asInt()).isZero();
    }

    @Test
    void dead_letters_are_redriven_or_purged_by_id_and_never_without_a_filter()
            throws Exception {
        String missing = topic.topicArn().replace("fixed-events", "gone-events");
        patch("gone-app", "{\"sns_topic_arn\":\"" + missing + "\",\"sns_auth_type\":\"keys\","
                + "\"sns_key\":\"AKIAGONEAPP000000001\",\"sns_secret\":\""
                + TestSecrets.newSecret("Gone") + "\"}");
        for (int i = 0; i < 3; i++) {
            relay.postEvent("gone-app", bytes("{\"type\":\"x\",\"i\":" + i + "}"), "gone-" + i);
        }
        await().atMost(ARRIVAL).until(() -> list("?app=gone-app").get("total").asInt() == 3);

        var noFilter = relay.admin("DELETE", "/v1/dead_letters", token, null);
        assertThat(noFilter.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noFilter.body()).get("code").asText())
                .isEqualTo("invalid_filter");
        var noBody = relay.admin("POST", "/v1/dead_letters/redrive", token, "{}");
        assertThat(noBody.statusCode()).isEqualTo(400);
        var injection = relay.admin("DELETE", "/v1/dead_letters?app=x'%20OR%20'1'='1", token,
                null);
        assertThat(injection.statusCode()).isEqualTo(400);
        assertThat(list("?app=gone-app").get("total").asInt()).isEqualTo(3);

        JsonNode letters = list("?app=gone-app").get("dead_letters");
        String one = letters.get(0).get("id").asText();
        var purged = relay.admin("DELETE", "/v1/dead_letters?ids=" + one, token, null);
        assertThat(JSON.readTree(purged.body()).get("purged").asInt()).isEqualTo(1);
        assertThat(list("?app=gone-app").get("total").asInt()).isEqualTo(2);

        var rest = relay.admin("DELETE", "/v1/dead_letters?app=gone-app", token, null);
        assertThat(JSON.readTree(rest.body()).get("purged").asInt()).isEqualTo(2);
        assertThat(list("?app=gone-app").get("total").asInt()).isZero();
    }

    @Test
    void a_redrive_moves_each_dead_letter_once_even_when_they_fail_again() throws Exception {
        String missing = topic.topicArn().replace("fixed-events", "still-missing");
        patch("loop-app", "{\"sns_topic_arn\":\"" + missing + "\",\"sns_auth_type\":\"keys\","
                + "\"sns_key\":\"AKIALOOPAPP000000001\",\"sns_secret\":\""
                + TestSecrets.newSecret("Loop") + "\"}");
        List<RunningRelay.Post> posts = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            posts.add(new RunningRelay.Post("loop-app", "{\"type\":\"x\",\"i\":" + i + "}",
                    "loop-" + i));
        }
        assertThat(relay.postAll(posts)).containsOnly(202);
        await().atMost(ARRIVAL).until(() -> list("?app=loop-app").get("total").asInt() == 250);

        // The topic is still missing: every redriven event fails again at once.
        var redrive = relay.admin("POST", "/v1/dead_letters/redrive", token,
                "{\"app\":\"loop-app\"}");
        assertThat(redrive.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(redrive.body()).get("redriven").asInt()).isEqualTo(250);
        await().atMost(ARRIVAL).until(() -> list("?app=loop-app").get("total").asInt() == 250);
        assertThat(relay.metric("relay_events_dead_lettered_total",
                "app=\"loop-app\",reason=\"NotFound\"")).isEqualTo(500);
    }

    private static void patch(String app, String json) throws Exception {
        var r = relay.admin("PATCH", "/v1/apps/" + app + "/settings", token, json);
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    }

    private static JsonNode list(String query) throws Exception {
        var r = relay.admin("GET", "/v1/dead_letters" + query, token, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
