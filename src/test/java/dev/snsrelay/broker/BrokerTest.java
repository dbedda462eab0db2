package dev.snsrelay.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import jakarta.jms.Connection;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void a_client_that_stays_connected_does_not_hold_the_broker_stop_for_ever() throws Exception {
        int port = freePort();
        Broker broker = new Broker(new BrokerOptions("", dataDir, "127.0.0.1:" + port, "relay",
                "producer-password", "chat.events", "chat.events.DLQ", 3, 100, 1.0, 100, 1000),
                2);
        broker.start();
        // A JMS producer of the chat backend, connected and idle, that never closes.
        Connection producer = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port)
                .createConnection("relay", "producer-password");
        try {
            producer.start();

            CompletableFuture<Void> stop = CompletableFuture.runAsync(broker::stop);

            // The broker gives its clients a grace period, then closes their connections.
            await().atMost(Duration.ofSeconds(60)).until(stop::isDone);
            assertThat(stop).isCompletedWithValue(null);
        } finally {
            try {
                producer.close();
            } catch (Exception ignored) {
                // Closed by the broker already.
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
