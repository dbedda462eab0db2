package dev.snsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import dev.snsrelay.sns.SnsClients;
import dev.snsrelay.testing.TestSecrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings changes must not leak SNS clients or endpoints: after many key rotations of one app
 * and hundreds of apps each sending an event, one client per app is left.
 */
class SnsClientLeakTest {

    private static final int ROTATIONS = 2_000;
    private static final int APPS = 500;

    @TempDir
    static Path dataDir;

    private static String token;
    private static LocalSns sns;
    private static RunningRelay relay;
    private static Subscription topic;

    @BeforeAll
    static void start() throws Exception {
        token = TestSecrets.newSecret("LeakToken");
        sns = LocalSns.start();
        topic = sns.topicWithQueue("leak-events", "leak-consumer");
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
    void live_sns_clients_equal_the_apps_after_2000_rotations_and_500_apps() throws Exception {
        for (int i = 0; i < ROTATIONS; i++) {
            patch("rotated-app", "AKIAROTATE" + String.format("%010d", i), i);
            post("rotated-app", i);
        }
        for (int a = 0; a < APPS; a++) {
            patch("app-" + a, "AKIAAPP" + String.format("%013d", a), a);
            post("app-" + a, a);
        }

        int expected = ROTATIONS + APPS;
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> topic.drain().size() >= expected);
        assertThat(topic.drain()).hasSize(expected);

        SnsClients clients = relay.camel().getRegistry()
                .lookupByNameAndType("snsClients", SnsClients.class);
        int apps = APPS + 1;
        assertThat(clients.liveClients()).isEqualTo(apps);
        assertThat(relay.metric("relay_sns_clients", "")).isEqualTo(apps);
        long snsEndpoints = relay.camel().getEndpoints().stream()
                .filter(e -> e.getEndpointUri().startsWith("aws2-sns:")).count();
        assertThat(snsEndpoints).isEqualTo(apps);
        long boundClients = relay.camel().getRegistry()
                .findByType(software.amazon.awssdk.services.sns.SnsClient.class).size();
        assertThat(boundClients).isEqualTo(apps);
    }

    private static void patch(String app, String key, int n) throws Exception {
        // Secrets here are throw-away and many; the suite's scan covers the named ones.
        var r = relay.admin("PATCH", "/v1/apps/" + app + "/settings", token,
                "{\"sns_topic_arn\":\"" + topic.topicArn() + "\",\"sns_auth_type\":\"keys\","
                        + "\"sns_key\":\"" + key + "\",\"sns_secret\":\"leak-secret-" + n
                        + "\"}");
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    }

    private static void post(String app, int n) throws Exception {
        String event = "{\"type\":\"message.new\",\"app\":\"" + app + "\",\"n\":" + n + "}";
        assertThat(relay.postEvent(app, event.getBytes(StandardCharsets.UTF_8), null)
                .statusCode()).isEqualTo(202);
    }
}
