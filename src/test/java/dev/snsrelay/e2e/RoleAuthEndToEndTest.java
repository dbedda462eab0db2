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
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snsrelay.testing.TestSecrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The role auth type: the relay assumes the app's role through STS with the app id as external
 * id, publishes with the credentials it got, and gets new ones before the old ones expire.
 */
class RoleAuthEndToEndTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROLE = "arn:aws:iam::123456789012:role/publisher";

    @TempDir
    static Path dataDir;

    private static String token;
    private static LocalSns sns;
    private static StsStub sts;
    private static RunningRelay relay;
    private static Subscription topic;

    @BeforeAll
    static void start() throws Exception {
        token = TestSecrets.newSecret("RoleToken");
        sns = LocalSns.start();
        topic = sns.topicWithQueue("role-events", "role-consumer");
        // First session: already within the SDK's one-minute stale window, so the next
        // publish must fetch a new one. Later sessions last an hour.
        sts = new StsStub(n -> new StsStub.Issued("ASIAROLESESSION0000" + n,
                TestSecrets.newSecret("Session" + n),
                Instant.now().plusSeconds(n == 1 ? 30 : 3600)));
        // The relay's own identity, with which it calls STS (the SDK's default chain).
        System.setProperty("aws.accessKeyId", "AKIARELAYIDENTITY001");
        System.setProperty("aws.secretAccessKey", TestSecrets.newSecret("RelayIdentity"));
        relay = RunningRelay.builder(dataDir)
                .snsEndpoint(sns.endpoint().toString())
                .property("relay.admin.token", token)
                .property("relay.sts.endpoint", sts.endpoint())
                .start();
    }

    @AfterAll
    static void stop() {
        if (relay != null) {
            relay.close();
        }
        if (sts != null) {
            sts.close();
        }
        if (sns != null) {
            sns.close();
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void events_are_published_with_the_assumed_role_and_a_new_session_before_expiry()
            throws Exception {
        var created = relay.admin("PATCH", "/v1/apps/role-app/settings", token,
                "{\"sns_topic_arn\":\"" + topic.topicArn() + "\",\"sns_auth_type\":\"role\","
                        + "\"sns_role_arn\":\"" + ROLE + "\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode view = JSON.readTree(created.body());
        assertThat(view.at("/role_trust_policy/statement/Condition/StringEquals/sts:ExternalId")
                .asText()).isEqualTo("role-app");

        int[] sent = {0};
        // Events keep going out; well before the first session expires (30 s), one of them is
        // signed with a new session.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String event = "{\"type\":\"message.new\",\"role\":" + (++sent[0]) + "}";
            relay.postEvent("role-app", event.getBytes(StandardCharsets.UTF_8),
                    "role-" + sent[0]);
            await().atMost(ARRIVAL).until(() -> topic.bodies().contains(event));
            List<String> used = signers().stream()
                    .filter(s -> s.startsWith("ASIAROLESESSION")).toList();
            return !used.get(used.size() - 1).equals("ASIAROLESESSION00001");
        });

        assertThat(sts.calls()).hasSizeGreaterThanOrEqualTo(2).allSatisfy(call -> {
            assertThat(call).containsEntry("Action", "AssumeRole");
            assertThat(call).containsEntry("RoleArn", ROLE);
            assertThat(call).containsEntry("ExternalId", "role-app");
        });
        List<String> publishers = signers().stream()
                .filter(s -> s.startsWith("ASIAROLESESSION")).toList();
        assertThat(publishers).first().isEqualTo("ASIAROLESESSION00001");
        assertThat(publishers).last().isNotEqualTo("ASIAROLESESSION00001");
    }

    private static List<String> signers() throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(sns.endpoint() + "/_relay/signers")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return JSON.readTree(body).findValues("accessKey").stream()
                .filter(n -> !n.isNull()).map(JsonNode::asText).toList();
    }
}
