package dev.snsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing accepted is lost when the relay process dies (SIGKILL) or is stopped (SIGTERM) in the
 * middle of delivery: started again on the same data folder, it delivers everything.
 */
class CrashAndShutdownTest {

    private static LocalSns sns;
    private static SnsOutageProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        sns = LocalSns.start();
        proxy = new SnsOutageProxy(sns.port());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (sns != null) {
            sns.close();
        }
    }

    @Test
    void every_accepted_event_arrives_after_a_sigkill_in_the_middle_of_delivery(
            @TempDir Path dataDir) throws Exception {
        Subscription topic = sns.topicWithQueue("crash-events", "crash-consumer");
        Set<String> accepted = new LinkedHashSet<>();
        Map<String, Integer> arrivals = new HashMap<>();
        // One worker, ten events per transaction: with the slow SNS below, delivery takes
        // tens of seconds, and the kill surely lands in the middle of it.
        try (RelayProcess first = new RelayProcess(dataDir, proxy.endpoint())
                .property("relay.deliver.consumers", "1")
                .property("relay.deliver.transaction-size", "10")
                .app("crash-app", topic.topicArn()).start()) {
            // Hold delivery back while the events go in, so the kill lands mid-delivery.
            proxy.cut();
            List<RunningRelay.Post> posts = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                posts.add(new RunningRelay.Post("crash-app", "{\"type\":\"message.new\","
                        + "\"cid\":\"messaging:crash\",\"seq\":" + i + "}", "crash-" + i));
            }
            List<Integer> statuses = first.postAll(posts);
            for (int i = 0; i < posts.size(); i++) {
                if (statuses.get(i) == 202) {
                    accepted.add(posts.get(i).body());
                }
            }
            proxy.latency(200);
            proxy.restore();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> count(topic, arrivals) >= 50);
            first.kill();
            proxy.latency(0);
        }
        int beforeKill = count(topic, arrivals);
        assertThat(accepted).hasSize(2_000);
        assertThat(beforeKill).as("the kill came before delivery finished").isLessThan(2_000);

        try (RelayProcess second = new RelayProcess(dataDir, proxy.endpoint())
                .app("crash-app", topic.topicArn()).start()) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        count(topic, arrivals);
                        return arrivals.keySet().containsAll(accepted);
                    });
        }
        int duplicates = arrivals.values().stream().mapToInt(n -> n - 1).sum();
        System.out.printf("crash test: %d accepted, %d delivered before SIGKILL, all %d "
                + "delivered after restart, %d duplicate(s)%n", accepted.size(), beforeKill,
                accepted.size(), duplicates);
        assertThat(arrivals.keySet()).containsAll(accepted);
    }

    @Test
    void sigterm_stops_the_relay_cleanly_and_queued_events_are_delivered_after_restart(
            @TempDir Path dataDir) throws Exception {
        Subscription topic = sns.topicWithQueue("sigterm-events", "sigterm-consumer");
        Set<String> accepted = new LinkedHashSet<>();
        // A data folder someone made readable by all: the relay closes it at start.
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        RelayProcess first = new RelayProcess(dataDir, proxy.endpoint())
                .app("sigterm-app", topic.topicArn()).start();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                .isEqualTo("rwx------");
        int exit;
        try {
            proxy.cut();
            for (int i = 0; i < 300; i++) {
                String event = "{\"type\":\"message.new\",\"seq\":" + i + "}";
                if (first.postEvent("sigterm-app", event, "term-" + i).statusCode() == 202) {
                    accepted.add(event);
                }
            }
            exit = first.terminate();
        } finally {
            first.close();
            proxy.restore();
        }
        // 143 is the JVM's answer to SIGTERM once its shutdown hooks have run.
        assertThat(exit).isIn(0, 143);
        String output = first.output();
        assertThat(output).contains("(Main) 4.17.0 is shutdown").doesNotContain(" ERROR ");

        Map<String, Integer> arrivals = new HashMap<>();
        try (RelayProcess second = new RelayProcess(dataDir, proxy.endpoint())
                .app("sigterm-app", topic.topicArn()).start()) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        count(topic, arrivals);
                        return arrivals.keySet().containsAll(accepted);
                    });
        }
        assertThat(accepted).hasSize(300);
    }

    /** Receives what is waiting and returns how many distinct events have arrived so far. */
    private static int count(Subscription topic, Map<String, Integer> arrivals) {
        arrivals.clear();
        for (String body : topic.bodies()) {
            arrivals.merge(body, 1, Integer::sum);
        }
        return arrivals.size();
    }
}
