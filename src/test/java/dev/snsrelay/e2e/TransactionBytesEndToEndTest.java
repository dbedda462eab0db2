package dev.snsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * relay.deliver.transaction-bytes bounds what one delivery transaction holds, so large events
 * cannot multiply into hundreds of megabytes in flight; every event still arrives once.
 */
class TransactionBytesEndToEndTest {

    private static final String ACCOUNT = "arn:aws:sns:us-east-1:123456789012:";

    @TempDir
    static Path dataDir;

    private static ScriptedSns sns;
    private static RunningRelay relay;

    @BeforeAll
    static void start() throws Exception {
        sns = new ScriptedSns();
        // 2 KB events: the third one takes a transaction past 5,000 bytes, so none holds more.
        relay = RunningRelay.builder(dataDir)
                .snsEndpoint(sns.endpoint())
                .property("relay.deliver.transaction-bytes", "5000")
                .app("large", ACCOUNT + "large")
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
    void a_transaction_takes_no_more_events_once_it_holds_its_byte_budget() throws Exception {
        List<String> sent = new ArrayList<>();
        List<RunningRelay.Post> posts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String event = "{\"type\":\"message.new\",\"seq\":" + i + ",\"pad\":\""
                    + "x".repeat(2_000) + "\"}";
            posts.add(new RunningRelay.Post("large", event, "large-" + i));
            sent.add(event);
        }

        assertThat(relay.postAll(posts)).containsOnly(202);
        await().atMost(Duration.ofSeconds(90)).until(() -> sns.accepted().size() >= sent.size());

        Map<String, Long> counts = sns.accepted().stream().collect(Collectors.groupingBy(
                ScriptedSns.Entry::message, Collectors.counting()));
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(counts.values()).allMatch(n -> n == 1);
        assertThat(sns.batchSizes()).allMatch(n -> n >= 1 && n <= 3);
    }
}
