package dev.snsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snsrelay.testing.TestSecrets;
import org.apache.camel.Endpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-app settings over the REST API, against the running relay and the local SNS server. */
class AdminApiEndToEndTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PRINCIPAL = "arn:aws:iam::123456789012:role/sns-relay";

    @TempDir
    static Path dataDir;

    private static String token;
    private static LocalSns sns;
    private static RunningRelay relay;
    private static Subscription topic;
    private static Subscription other;

    @BeforeAll
    static void start() throws Exception {
        token = TestSecrets.newSecret("AdminToken");
        sns = LocalSns.start();
        topic = sns.topicWithQueue("admin-events", "admin-consumer");
        other = sns.topicWithQueue("admin-other", "admin-other-consumer");
        relay = RunningRelay.builder(dataDir)
                .snsEndpoint(sns.endpoint().toString())
                .property("relay.admin.token", token)
                .property("relay.admin.check-timeout-ms", "1500")
                .property("relay.aws.principal-arn", PRINCIPAL)
                .property("relay.sns.event-id-attribute", "event_id")
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
    void admin_calls_without_the_right_token_get_401_and_change_nothing() throws Exception {
        var none = relay.admin("GET", "/v1/apps", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(json(none).get("code").asText()).isEqualTo("unauthorized");

        var wrong = relay.admin("PATCH", "/v1/apps/intruder/settings", token + "x",
                "{\"sns_topic_arn\":\"" + topic.topicArn() + "\"}");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain(token);
        assertThat(relay.admin("GET", "/v1/apps/intruder/settings", token, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void an_app_created_over_the_api_gets_its_events_delivered_without_a_restart()
            throws Exception {
        String secret = TestSecrets.newSecret("Created");
        var created = relay.admin("PATCH", "/v1/apps/created-app/settings", token,
                "{\"sns_topic_arn\":\"" + topic.topicArn() + "\",\"sns_auth_type\":\"keys\","
                        + "\"sns_key\":\"AKIACREATEDAPP000001\",\"sns_secret\":\"" + secret
                        + "\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode view = json(created);
        assertThat(view.get("sns_key").asText()).isEqualTo("AKIA************0001");
        assertThat(view.get("sns_secret_set").asBoolean()).isTrue();
        assertThat(created.body()).doesNotContain(secret).doesNotContain("AKIACREATEDAPP000001");

        String event = "{\"type\":\"message.new\",\"cid\":\"messaging:api\",\"n\":3.70}";
        assertThat(relay.postEvent("created-app", bytes(event), "created-1").statusCode())
                .isEqualTo(202);
        await().atMost(ARRIVAL).until(() -> topic.bodies().contains(event));

        var listed = json(relay.admin("GET", "/v1/apps", token, null));
        assertThat(listed.get("apps").findValuesAsText("app")).contains("created-app");
        var got = relay.admin("GET", "/v1/apps/created-app/settings", token, null);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).doesNotContain(secret).doesNotContain("AKIACREATEDAPP000001");
    }

    @Test
    void a_partial_update_keeps_omitted_fields_and_null_clears_a_field() throws Exception {
        create("partial-app", topic.topicArn());
        var typed = json(relay.admin("PATCH", "/v1/apps/partial-app/settings", token,
                "{\"event_types\":[\"message.new\",\"reaction.new\"]}"));
        assertThat(typed.get("sns_topic_arn").asText()).isEqualTo(topic.topicArn());
        assertThat(typed.get("sns_secret_set").asBoolean()).isTrue();
        assertThat(typed.get("event_types").toString())
                .isEqualTo("[\"message.new\",\"reaction.new\"]");

        var disabled = json(relay.admin("PATCH", "/v1/apps/partial-app/settings", token,
                "{\"enabled\":false}"));
        assertThat(disabled.get("event_types").size()).isEqualTo(2);
        assertThat(disabled.get("enabled").asBoolean()).isFalse();

        var cleared = json(relay.admin("PATCH", "/v1/apps/partial-app/settings", token,
                "{\"event_types\":null}"));
        assertThat(cleared.get("event_types").size()).isZero();
        assertThat(cleared.get("enabled").asBoolean()).isFalse();
    }

    @Test
    void invalid_settings_get_a_400_that_names_the_field() throws Exception {
        String arn = topic.topicArn();
        assertInvalid("{\"sns_topic_arn\":\"arn:aws:sns:us-east-1:123:short\"}", "sns_topic_arn");
        assertInvalid("{\"sns_topic_arn\":\"" + arn + "?autoCreateTopic=true\"}",
                "sns_topic_arn");
        assertInvalid("{\"sns_topic_arn\":\"" + arn + "\",\"sns_region\":\"eu-west-1\"}",
                "sns_region");
        assertInvalid("{\"sns_topic_arn\":\"" + arn + "\",\"sns_auth_type\":\"keys\","
                + "\"sns_key\":\"AKIAONLYKEY000000000\"}", "sns_key");
        assertInvalid("{\"sns_topic_arn\":\"" + arn + "\",\"sns_auth_type\":\"role\"}",
                "sns_role_arn");
        assertInvalid("{\"sns_topic_arn\":\"" + arn + "\",\"sns_auth_type\":\"magic\"}",
                "sns_auth_type");
        assertInvalid("{\"sns_topic_arn\":\"" + arn + "\",\"colour\":\"blue\"}", "colour");
        assertInvalid("{\"sns_topic_arn\":\"" + arn + "\",\"event_types\":[\"bad type!\"]}",
                "event_types");
        assertInvalid("{\"sns_topic_arn\":\"" + arn + "\",\"event_types\":\"message.new\"}",
                "event_types");
        assertInvalid("{\"sns_topic_arn\":\"" + arn + "\",\"enabled\":\"yes\"}", "enabled");
        assertInvalid("{\"sns_topic_arn\":\"" + arn + "\",\"sns_endpoint\":\"ftp://x\"}",
                "sns_endpoint");

        var notJson = relay.admin("PATCH", "/v1/apps/bad-app/settings", token, "{nope");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).get("code").asText()).isEqualTo("invalid_json");

        var array = relay.admin("PATCH", "/v1/apps/bad-app/settings", token, "[]");
        assertThat(array.statusCode()).isEqualTo(400);

        var badId = relay.admin("PATCH", "/v1/apps/bad%20app/settings", token,
                "{\"sns_topic_arn\":\"" + arn + "\"}");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(json(badId).get("code").asText()).isEqualTo("invalid_app_id");

        var textBody = relay.send(HttpRequest.newBuilder(relay.uri("/v1/apps/bad-app/settings"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "text/plain")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(textBody.statusCode()).isEqualTo(415);

        assertThat(relay.admin("GET", "/v1/apps/bad-app/settings", token, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void deleting_an_app_stops_its_ingest_and_unknown_apps_answer_404() throws Exception {
        create("doomed-app", topic.topicArn());
        assertThat(relay.admin("DELETE", "/v1/apps/doomed-app", token, null).statusCode())
                .isEqualTo(204);
        assertThat(relay.admin("DELETE", "/v1/apps/doomed-app", token, null).statusCode())
                .isEqualTo(404);
        assertThat(relay.admin("GET", "/v1/apps/doomed-app/settings", token, null).statusCode())
                .isEqualTo(404);
        assertThat(relay.postEvent("doomed-app", bytes("{\"type\":\"x\"}"), null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void event_types_and_enabled_take_effect_for_the_next_event() throws Exception {
        create("filtered-app", other.topicArn());
        relay.admin("PATCH", "/v1/apps/filtered-app/settings", token,
                "{\"event_types\":[\"message.new\"]}");
        String wanted = "{\"type\":\"message.new\",\"cid\":\"messaging:f\",\"seq\":1}";
        String unwanted = "{\"type\":\"reaction.new\",\"cid\":\"messaging:f\",\"seq\":2}";
        relay.postEvent("filtered-app", bytes(unwanted), "filtered-1");
        relay.postEvent("filtered-app", bytes(wanted), "filtered-2");
        await().atMost(ARRIVAL).until(() -> other.bodies().contains(wanted));
        await().atMost(ARRIVAL).until(() -> stat("filtered-app", "dropped", "event_type") == 1);

        relay.admin("PATCH", "/v1/apps/filtered-app/settings", token, "{\"enabled\":false}");
        String whileOff = "{\"type\":\"message.new\",\"cid\":\"messaging:f\",\"seq\":3}";
        relay.postEvent("filtered-app", bytes(whileOff), "filtered-3");
        await().atMost(ARRIVAL).until(() -> stat("filtered-app", "dropped", "disabled") == 1);

        relay.admin("PATCH", "/v1/apps/filtered-app/settings", token,
                "{\"enabled\":true,\"event_types\":[]}");
        String afterOn = "{\"type\":\"reaction.new\",\"cid\":\"messaging:f\",\"seq\":4}";
        relay.postEvent("filtered-app", bytes(afterOn), "filtered-4");
        await().atMost(ARRIVAL).until(() -> other.bodies().contains(afterOn));
        assertThat(other.bodies()).doesNotContain(unwanted, whileOff);
    }

    @Test
    void check_sns_publishes_a_test_event_and_reports_the_message_id() throws Exception {
        create("checked-app", topic.topicArn());
        var r = relay.admin("POST", "/v1/apps/checked-app/check_sns", token, null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode result = json(r);
        assertThat(result.get("status").asText()).isEqualTo("ok");
        assertThat(result.at("/data/message_id").asText()).isNotBlank();
        await().atMost(ARRIVAL).until(() -> topic.bodies().stream()
                .anyMatch(b -> b.contains("\"type\":\"sns_relay.check\"")
                        && b.contains("\"app\":\"checked-app\"")));
    }

    @Test
    void check_sns_with_unsaved_settings_reports_an_unknown_topic_and_saves_nothing()
            throws Exception {
        create("unsaved-app", topic.topicArn());
        String missing = topic.topicArn().replace("admin-events", "no-such-topic");
        var r = relay.admin("POST", "/v1/apps/unsaved-app/check_sns", token,
                "{\"sns_topic_arn\":\"" + missing + "\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode result = json(r);
        assertThat(result.get("status").asText()).isEqualTo("error");
        assertThat(result.get("error").asText()).startsWith("NotFound");
        assertThat(json(relay.admin("GET", "/v1/apps/unsaved-app/settings", token, null))
                .get("sns_topic_arn").asText()).isEqualTo(topic.topicArn());
    }

    @Test
    void check_sns_against_an_endpoint_that_never_answers_reports_a_timeout() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            var r = relay.admin("POST", "/v1/apps/hung-app/check_sns", token,
                    "{\"sns_topic_arn\":\"" + topic.topicArn() + "\",\"sns_auth_type\":\"keys\","
                            + "\"sns_key\":\"AKIAHUNGAPP000000001\",\"sns_secret\":\""
                            + TestSecrets.newSecret("Hung") + "\",\"sns_endpoint\":\""
                            + silent.endpoint() + "\"}");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode result = json(r);
            assertThat(result.get("status").asText()).isEqualTo("error");
            assertThat(result.get("error").asText()).startsWith("Timeout");
        }
        assertThat(relay.admin("GET", "/v1/apps/hung-app/settings", token, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void a_rotated_key_signs_the_very_next_publish() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 1; i <= 3; i++) {
            String key = "AKIAROTATION00000000".substring(0, 19) + i;
            relay.admin("PATCH", "/v1/apps/rotating-app/settings", token,
                    "{\"sns_topic_arn\":\"" + topic.topicArn() + "\",\"sns_auth_type\":\"keys\","
                            + "\"sns_key\":\"" + key + "\",\"sns_secret\":\""
                            + TestSecrets.newSecret("Rotation" + i) + "\"}");
            String event = "{\"type\":\"message.new\",\"rotation\":" + i + "}";
            relay.postEvent("rotating-app", bytes(event), "rotation-" + i);
            await().atMost(ARRIVAL).until(() -> topic.bodies().contains(event));

            String signers = http.send(HttpRequest.newBuilder(
                    URI.create(sns.endpoint() + "/_relay/signers")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            List<String> publishers = JSON.readTree(signers).findValues("accessKey").stream()
                    .map(JsonNode::asText).toList();
            assertThat(publishers).last().isEqualTo(key);
        }
    }

    @Test
    void resource_auth_shows_the_statement_to_attach_and_drops_stored_keys() throws Exception {
        create("policy-app", topic.topicArn());
        var r = json(relay.admin("PATCH", "/v1/apps/policy-app/settings", token,
                "{\"sns_auth_type\":\"resource\"}"));
        assertThat(r.get("sns_key").isNull()).isTrue();
        assertThat(r.get("sns_secret_set").asBoolean()).isFalse();
        assertThat(r.at("/resource_policy/principal").asText()).isEqualTo(PRINCIPAL);
        assertThat(r.at("/resource_policy/statement/Principal/AWS").asText()).isEqualTo(PRINCIPAL);
        assertThat(r.at("/resource_policy/statement/Action").asText()).isEqualTo("SNS:Publish");
        assertThat(r.at("/resource_policy/statement/Resource").asText())
                .isEqualTo(topic.topicArn());
    }

    @Test
    void no_endpoint_uri_of_the_relay_carries_a_credential() {
        for (Endpoint e : relay.camel().getEndpoints()) {
            for (String secret : TestSecrets.secrets()) {
                assertThat(e.getEndpointUri()).doesNotContain(secret);
            }
            assertThat(e.getEndpointUri()).doesNotContainIgnoringCase("secretKey")
                    .doesNotContainIgnoringCase("accessKey");
        }
    }

    @Test
    void the_event_id_travels_as_a_message_attribute_when_configured() throws Exception {
        create("attribute-app", topic.topicArn());
        String event = "{\"type\":\"message.new\",\"attribute\":true}";
        relay.postEvent("attribute-app", bytes(event), "attr-evt-1");
        await().atMost(ARRIVAL).until(() -> topic.drain().stream()
                .anyMatch(m -> m.body().equals(event)));
        var message = topic.drain().stream().filter(m -> m.body().equals(event)).findFirst()
                .orElseThrow();
        assertThat(message.messageAttributes()).containsOnlyKeys("event_type", "event_id");
        assertThat(message.messageAttributes().get("event_id").stringValue())
                .isEqualTo("attr-evt-1");
    }

    private static void create(String app, String topicArn) throws Exception {
        var r = relay.admin("PATCH", "/v1/apps/" + app + "/settings", token,
                "{\"sns_topic_arn\":\"" + topicArn + "\",\"sns_auth_type\":\"keys\","
                        + "\"sns_key\":\"AKIA" + app.toUpperCase().replace("-", "")
                        + "\",\"sns_secret\":\"" + TestSecrets.newSecret(app.replace("-", ""))
                        + "\"}");
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    }

    private static void assertInvalid(String patch, String field) throws Exception {
        var r = relay.admin("PATCH", "/v1/apps/bad-app/settings", token, patch);
        assertThat(r.statusCode()).as(patch).isEqualTo(400);
        JsonNode body = json(r);
        assertThat(body.get("field").asText()).as(patch).isEqualTo(field);
        assertThat(body.get("error").asText()).as(patch).isNotBlank();
    }

    private static long stat(String app, String group, String reason) throws Exception {
        JsonNode stats = json(relay.admin("GET", "/v1/apps/" + app + "/stats", token, null));
        return stats.at("/counters/" + group + "/" + reason).asLong();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
