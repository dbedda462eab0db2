package dev.snsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snsrelay.testing.TestSecrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batching and concurrency are correct: every event reaches SNS exactly once in a normal run,
 * batches stay within SNS's limits, a failed entry is retried alone, and FIFO channels keep
 * their order.
 */
class BatchDeliveryEndToEndTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "arn:aws:sns:us-east-1:123456789012:";

    @TempDir
    static Path dataDir;

    private static String token;
    private static ScriptedSns sns;
    private static RunningRelay relay;

    @BeforeAll
    static void start() throws Exception {
        token = TestSecrets.newSecret("BatchToken");
        sns = new ScriptedSns();
        RunningRelay.Builder b = RunningRelay.builder(dataDir)
                .snsEndpoint(sns.endpoint())
                .property("relay.admin.token", token)
                .property("relay.deliver.consumers", "4");
        for (int a = 0; a < 20; a++) {
            b.app("many-" + a, ACCOUNT + "many-" + a);
        }
        b.app("scripted", ACCOUNT + "scripted");
        b.app("fifo", ACCOUNT + "ordered.fifo");
        relay = b.start();
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
    void every_event_of_many_apps_reaches_sns_exactly_once_in_batches_within_limits()
            throws Exception {
        List<String> sent = new ArrayList<>();
        List<RunningRelay.Post> posts = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            String app = "many-" + (i % 20);
            // Every seventh event is 60 KB, so some batches are cut by size, not count.
            String event = "{\"type\":\"message.new\",\"app\":\"" + app + "\",\"seq\":" + i
                    + ",\"pad\":\"" + "ü".repeat(i % 7 == 0 ? 30_000 : 100) + "\"}";
            posts.add(new RunningRelay.Post(app, event, "many-" + i));
            sent.add(event);
        }
        assertThat(relay.postAll(posts)).containsOnly(202);
        await().atMost(ARRIVAL).until(() -> countFor("many-") >= sent.size());

        Map<String, Long> counts = sns.accepted().stream()
                .filter(e -> e.topicArn().contains(":many-"))
                .collect(Collectors.groupingBy(ScriptedSns.Entry::message,
                        Collectors.counting()));
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(counts.values()).allMatch(n -> n == 1);
        for (ScriptedSns.Entry e : sns.accepted()) {
            if (e.topicArn().contains(":many-")) {
                assertThat(e.topicArn()).isEqualTo(ACCOUNT + appOf(e.message()));
            }
        }
        assertThat(sns.batchSizes()).allMatch(n -> n >= 1 && n <= 10);
        assertThat(sns.batchSizes()).anyMatch(n -> n > 1);
        assertThat(sns.accepted()).allMatch(e -> e.batchBytes() <= 262_144);
    }

    @Test
    void a_failed_entry_is_retried_alone_and_a_refused_one_is_dead_lettered() throws Exception {
        List<String> plain = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String kind = i == 7 ? "fail-once" : i == 13 ? "reject" : "plain";
            String event = "{\"type\":\"message.new\",\"kind\":\"" + kind + "\",\"i\":" + i + "}";
            relay.postEvent("scripted", bytes(event), "scripted-" + i);
            if (!kind.equals("reject")) {
                plain.add(event);
            }
        }
        await().atMost(ARRIVAL).until(() -> countFor("scripted") >= plain.size());
        await().atMost(ARRIVAL).until(() -> deadLetterCode("scripted-13") != null);

        Map<String, Long> counts = sns.accepted().stream()
                .filter(e -> e.topicArn().endsWith(":scripted"))
                .collect(Collectors.groupingBy(ScriptedSns.Entry::message,
                        Collectors.counting()));
        // Exactly once each: the retried entry did not drag its batch-mates along.
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(plain);
        assertThat(counts.values()).allMatch(n -> n == 1);
        assertThat(deadLetterCode("scripted-13")).isEqualTo("InvalidParameter");
        assertThat(relay.metric("relay_events_published_total", "app=\"scripted\""))
                .isEqualTo(plain.size());
    }

    @Test
    void events_of_one_fifo_channel_reach_sns_in_the_order_they_were_accepted()
            throws Exception {
        for (int i = 0; i < 300; i++) {
            String channel = "messaging:room-" + (i % 3);
            String event = "{\"type\":\"message.new\",\"cid\":\"" + channel + "\",\"seq\":" + i
                    + (i == 100 ? ",\"note\":\"fail-once\"" : "") + "}";
            assertThat(relay.postEvent("fifo", bytes(event), "fifo-" + i).statusCode())
                    .isEqualTo(202);
        }
        await().atMost(ARRIVAL).until(() -> countFor("ordered.fifo") >= 300);

        Map<String, List<Integer>> byGroup = sns.accepted().stream()
                .filter(e -> e.topicArn().endsWith("ordered.fifo"))
                .collect(Collectors.groupingBy(ScriptedSns.Entry::groupId,
                        Collectors.mapping(e -> seqOf(e.message()), Collectors.toList())));
        assertThat(byGroup).containsOnlyKeys("messaging:room-0", "messaging:room-1",
                "messaging:room-2");
        for (List<Integer> seqs : byGroup.values()) {
            // Distinct and increasing: no event twice, none overtaken, even after a retry.
            assertThat(seqs).doesNotHaveDuplicates().isSorted();
            assertThat(seqs).hasSize(100);
        }
    }

    private static long countFor(String topicPart) {
        return sns.accepted().stream().filter(e -> e.topicArn().contains(topicPart)).count();
    }

    private static String appOf(String message) throws Exception {
        return JSON.readTree(message).get("app").asText();
    }

    private static int seqOf(String message) {
        try {
            return JSON.readTree(message).get("seq").asInt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String deadLetterCode(String eventId) throws Exception {
        JsonNode letters = JSON.readTree(relay.admin("GET", "/v1/dead_letters?app=scripted",
                token, null).body()).get("dead_letters");
        for (JsonNode l : letters) {
            if (eventId.equals(l.path("event_id").asText())) {
                return l.get("code").asText();
            }
        }
        return null;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
