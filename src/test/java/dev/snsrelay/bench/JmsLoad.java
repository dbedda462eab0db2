package dev.snsrelay.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Sends events as JMS text messages to {@code chat.events} over the relay's remote acceptor
 * (CORE protocol), from producer threads each with its own session. A persistent send returns
 * once the broker has the message in its journal, so every completed send is an accepted event;
 * as each thread has one send in flight, it takes a few dozen threads to keep the relay busy.
 * {@code _AMQ_DUPL_ID} is set as the README advises producers to.
 */
final class JmsLoad implements Load {

    /** The relay's own threshold: every event SNS can take stays a journal record. */
    static final int LARGE_MESSAGE_BYTES = 460_800;

    private final String brokerUrl;
    private final String user;
    private final String password;
    private final List<String> apps;
    private final EventTemplate events;
    private final int threads;
    private final String runTag;

    JmsLoad(String brokerUrl, String user, String password, List<String> apps,
            EventTemplate events, int threads, String runTag) {
        this.brokerUrl = brokerUrl;
        this.user = user;
        this.password = password;
        this.apps = apps;
        this.events = events;
        this.threads = threads;
        this.runTag = runTag;
    }

    @Override
    public LoadResult run(Plan plan) throws InterruptedException {
        LoadCounters c = new LoadCounters();
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + plan.maxTime().toNanos();
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(brokerUrl, user,
                password)) {
            // As the README advises producers: above Artemis's default of 100 KB a message is
            // streamed and stored as a file of its own, about ten times the work.
            cf.setMinLargeMessageSize(LARGE_MESSAGE_BYTES);
            // A send blocks at most for the client's call timeout (30 s by default).
            Senders.run(threads, "bench-jms-producer", deadline, 60_000, c,
                    () -> produce(cf, plan, next, c, start, deadline));
        }
        return c.result();
    }

    private void produce(ActiveMQConnectionFactory cf, Plan plan, AtomicLong next,
            LoadCounters c, long start, long deadline) {
        try (JMSContext context = cf.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            Queue queue = context.createQueue("chat.events");
            JMSProducer producer = context.createProducer()
                    .setDeliveryMode(DeliveryMode.PERSISTENT);
            for (long i = next.getAndIncrement(); i < plan.maxEvents();
                    i = next.getAndIncrement()) {
                if (!plan.awaitTurn(i, c.sent.get(), start, deadline)) {
                    return;
                }
                long seq = plan.firstSeq() + i;
                long sentAt = SnsSink.nowMicros();
                TextMessage m = context.createTextMessage(new String(events.render(seq, sentAt),
                        StandardCharsets.US_ASCII));
                m.setStringProperty("appId", apps.get((int) (seq % apps.size())));
                m.setStringProperty("_AMQ_DUPL_ID", runTag + "-" + seq);
                c.sending(sentAt);
                try {
                    producer.send(queue, m);
                    c.accepted();
                } catch (RuntimeException e) {
                    c.failed(e.toString());
                }
            }
        } catch (Exception e) {
            c.failed(e.toString());
        }
    }
}
