package dev.snsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What senders are told while the relay stops under their load. */
class StopWhileSendingEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void requests_arriving_while_the_relay_stops_get_a_202_or_a_json_503_never_a_404(
            @TempDir Path dataDir) throws Exception {
        Map<String, Integer> answers = new ConcurrentHashMap<>();
        List<String> unexpected = new ArrayList<>();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        AtomicBoolean sending = new AtomicBoolean(true);
        ExecutorService senders = Executors.newFixedThreadPool(16);
        try (LocalSns sns = LocalSns.start()) {
            Subscription topic = sns.topicWithQueue("stop-events", "stop-consumer");
            RunningRelay relay = RunningRelay.builder(dataDir)
                    .snsEndpoint(sns.endpoint().toString())
                    .app("stop-app", topic.topicArn())
                    .start();
            for (int t = 0; t < 16; t++) {
                senders.submit(() -> {
                    while (sending.get()) {
                        String id = "stop-" + sent.incrementAndGet();
                        HttpResponse<String> r;
                        try {
                            r = relay.postEvent("stop-app", ("{\"type\":\"message.new\",\"id\":\""
                                    + id + "\"}").getBytes(StandardCharsets.UTF_8), id);
                        } catch (IOException | InterruptedException e) {
                            continue; // the server is closed: nothing was answered
                        }
                        answers.merge(r.statusCode() + " " + codeOf(r.body()), 1, Integer::sum);
                        if (r.statusCode() == 202) {
                            accepted.incrementAndGet();
                        } else if (!(r.statusCode() == 503
                                && "queue_unavailable".equals(codeOf(r.body())))) {
                            synchronized (unexpected) {
                                unexpected.add(r.statusCode() + " " + r.body());
                            }
                        }
                    }
                });
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> accepted.get() >= 500);

            relay.close();
        } finally {
            sending.set(false);
            senders.shutdown();
            senders.awaitTermination(30, TimeUnit.SECONDS);
        }

        assertThat(unexpected).as("answers other than 202 and a JSON 503: %s", answers)
                .isEmpty();
        // The senders did reach the relay while it was stopping.
        assertThat(answers).containsKey("503 queue_unavailable");
    }

    private static String codeOf(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n != null && n.has("code") ? n.get("code").asText() : "(no code)";
        } catch (IOException e) {
            return "(not JSON)";
        }
    }
}
