package dev.snsrelay.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import dev.snsrelay.broker.Broker;
import dev.snsrelay.broker.BrokerOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grouped writer against a real embedded broker: what reaches the queue, and when not. */
class QueueWriterTest {

    private static final String QUEUE = "chat.events";

    @TempDir
    Path dataDir;

    private final CamelContext camel = new DefaultCamelContext();
    private Broker broker;
    private final List<QueueWriter> writers = new ArrayList<>();

    @BeforeEach
    void startBroker() throws Exception {
        broker = new Broker(new BrokerOptions("", dataDir, "", "relay", "producer-password",
                QUEUE, QUEUE + ".DLQ", 3, 100, 1.0, 100, 1000), 4);
        broker.start();
    }

    @AfterEach
    void stopAll() {
        writers.forEach(QueueWriter::stop);
        broker.stop();
    }

    @Test
    void concurrent_writes_are_queued_with_their_properties_in_fewer_commits() throws Exception {
        QueueWriter writer = started(broker.connectionFactory(), 1);
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Exchange e = event("{\"n\":" + i + "}", "id-" + i);
            sends.add(CompletableFuture.runAsync(() -> write(writer, e)));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        List<TextMessage> queued = drain(200);
        assertThat(queued).extracting(TextMessage::getText).hasSize(200).doesNotHaveDuplicates();
        TextMessage first = queued.get(0);
        assertThat(first.getStringProperty("appId")).isEqualTo("app-1");
        assertThat(first.getStringProperty("eventId")).startsWith("id-");
        assertThat(first.getJMSDeliveryMode()).isEqualTo(jakarta.jms.DeliveryMode.PERSISTENT);
        assertThat(writer.commits()).isBetween(1L, 200L);
    }

    @Test
    void a_group_holding_a_resent_id_queues_every_other_event_and_the_resent_one_once()
            throws Exception {
        QueueWriter first = started(broker.connectionFactory(), 1);
        first.write(event("{\"original\":true}", "dup-1"));
        first.stop();

        // The second writer cannot connect until both events wait for it: they form one group.
        CountDownLatch gate = new CountDownLatch(1);
        QueueWriter second = started(gated(broker.connectionFactory(), gate), 1);
        CompletableFuture<Void> resent = CompletableFuture.runAsync(
                () -> write(second, event("{\"original\":true}", "dup-1")));
        CompletableFuture<Void> fresh = CompletableFuture.runAsync(
                () -> write(second, event("{\"fresh\":true}", "new-1")));
        await().atMost(Duration.ofSeconds(10)).until(() -> second.waitingCount() == 2);
        gate.countDown();
        CompletableFuture.allOf(resent, fresh).get(30, TimeUnit.SECONDS);

        assertThat(second.resentGroups()).isEqualTo(1);
        assertThat(drain(2)).extracting(TextMessage::getText)
                .containsExactlyInAnyOrder("{\"original\":true}", "{\"fresh\":true}");
        assertThat(drain(1)).isEmpty();
    }

    @Test
    void a_resend_racing_its_original_is_queued_once() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        QueueWriter writer = started(gated(broker.connectionFactory(), gate), 2);
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sends.add(CompletableFuture.runAsync(
                    () -> write(writer, event("{\"race\":1}", "race-1"))));
        }
        sends.add(CompletableFuture.runAsync(() -> write(writer, event("{\"other\":1}", "o-1"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.waitingCount() == 2);
        gate.countDown();
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(drain(4)).extracting(TextMessage::getText)
                .containsExactlyInAnyOrder("{\"race\":1}", "{\"other\":1}");
    }

    @Test
    void an_event_the_broker_refuses_fails_alone_with_a_4xx_and_its_group_is_queued()
            throws Exception {
        // Properties of 300,000 characters are more than the broker takes in a message header.
        Exchange refused = event("{\"huge\":true}", "huge-1");
        refused.getIn().setHeader("eventType", "x".repeat(300_000));
        CountDownLatch gate = new CountDownLatch(1);
        QueueWriter writer = started(gated(broker.connectionFactory(), gate), 1);
        List<CompletableFuture<Void>> others = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Exchange e = event("{\"n\":" + i + "}", "fine-" + i);
            others.add(CompletableFuture.runAsync(() -> write(writer, e)));
        }
        CompletableFuture<Void> huge = CompletableFuture.runAsync(() -> write(writer, refused));
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.waitingCount() == 6);
        gate.countDown();

        CompletableFuture.allOf(others.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> huge.get(30, TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(IngestRejectedException.class)
                .rootCause().satisfies(e -> {
                    assertThat(((IngestRejectedException) e).status()).isEqualTo(400);
                    assertThat(((IngestRejectedException) e).code())
                            .isEqualTo("event_not_queueable");
                });
        assertThat(drain(6)).extracting(TextMessage::getText).hasSize(5)
                .allMatch(text -> text.startsWith("{\"n\":"));

        // The writer goes on serving.
        writer.write(event("{\"after\":true}", "after-1"));
        assertThat(drain(1)).extracting(TextMessage::getText).containsExactly("{\"after\":true}");
    }

    @Test
    void a_write_the_broker_cannot_take_fails_instead_of_waiting() throws Exception {
        QueueWriter writer = started(broker.connectionFactory(), 2);
        broker.stop();
        assertThatThrownBy(() -> writer.write(event("{\"lost\":false}", "x-1")))
                .isInstanceOf(QueueWriter.QueueUnavailableException.class);
    }

    @Test
    void a_write_the_broker_does_not_confirm_in_time_fails_and_its_resend_is_not_queued_twice()
            throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        QueueWriter writer = started(gated(broker.connectionFactory(), gate), 2, 300);
        assertThatThrownBy(() -> writer.write(event("{\"slow\":1}", "slow-1")))
                .isInstanceOf(QueueWriter.QueueUnavailableException.class)
                .hasMessageContaining("300 ms");
        // The sender retries while the first attempt is still waiting for the broker.
        CompletableFuture<Void> resend = CompletableFuture.runAsync(
                () -> write(writer, event("{\"slow\":1}", "slow-1")));
        gate.countDown();
        resend.get(30, TimeUnit.SECONDS);

        assertThat(drain(3)).extracting(TextMessage::getText).containsExactly("{\"slow\":1}");
    }

    @Test
    void a_writer_that_meets_an_error_keeps_serving() throws Exception {
        ConnectionFactory target = broker.connectionFactory();
        AtomicInteger calls = new AtomicInteger();
        QueueWriter writer = started(failingOnce(target, calls), 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 2);
        writer.write(event("{\"after\":1}", "after-1"));
        assertThat(drain(1)).extracting(TextMessage::getText).containsExactly("{\"after\":1}");
    }

    @Test
    void a_stopped_writer_refuses_writes() {
        QueueWriter writer = started(broker.connectionFactory(), 1);
        writer.stop();
        assertThatThrownBy(() -> writer.write(event("{}", "late-1")))
                .isInstanceOf(QueueWriter.QueueUnavailableException.class)
                .hasMessageContaining("stopping");
    }

    private QueueWriter started(ConnectionFactory factory, int threads) {
        return started(factory, threads, 30_000);
    }

    private QueueWriter started(ConnectionFactory factory, int threads, long timeoutMs) {
        QueueWriter w = new QueueWriter(factory, QUEUE,
                new QueueWriter.Options(threads, 100, 4_194_304, timeoutMs));
        w.start();
        writers.add(w);
        return w;
    }

    private Exchange event(String body, String id) {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setBody(body);
        e.getIn().setHeader("appId", "app-1");
        e.getIn().setHeader("eventId", id);
        e.getIn().setHeader(HttpIngest.DUPLICATE_ID, "app-1:" + id);
        return e;
    }

    private static void write(QueueWriter writer, Exchange e) {
        try {
            writer.write(e);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Up to {@code max} messages now on the queue, taken off it. */
    private List<TextMessage> drain(int max) throws JMSException {
        List<TextMessage> out = new ArrayList<>();
        try (Connection c = broker.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(QUEUE));
            for (int i = 0; i < max; i++) {
                Message m = consumer.receive(i == 0 ? 2000 : 500);
                if (m == null) {
                    break;
                }
                out.add((TextMessage) m);
            }
        }
        return out;
    }

    /** A factory whose connections wait for the gate. */
    private static ConnectionFactory gated(ConnectionFactory target, CountDownLatch gate) {
        return connecting(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return target.createConnection();
        });
    }

    /** A factory whose first connection attempt throws an Error, as a heap exhausted would. */
    private static ConnectionFactory failingOnce(ConnectionFactory target,
            AtomicInteger calls) {
        return connecting(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new OutOfMemoryError("simulated");
            }
            return target.createConnection();
        });
    }

    private interface Connect {
        Connection connect() throws JMSException;
    }

    private static ConnectionFactory connecting(Connect connect) {
        return new ConnectionFactory() {
            @Override
            public Connection createConnection() throws JMSException {
                return connect.connect();
            }

            @Override
            public Connection createConnection(String user, String password) {
                throw new UnsupportedOperationException();
            }

            @Override
            public JMSContext createContext() {
                throw new UnsupportedOperationException();
            }

            @Override
            public JMSContext createContext(String user, String password) {
                throw new UnsupportedOperationException();
            }

            @Override
            public JMSContext createContext(String user, String password, int mode) {
                throw new UnsupportedOperationException();
            }

            @Override
            public JMSContext createContext(int mode) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
