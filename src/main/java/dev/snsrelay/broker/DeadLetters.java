package dev.snsrelay.broker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter queue as operators use it: list what is there and why, put events back on the
 * queue once the cause is fixed (redrive), or purge them. Works on the embedded broker and on an
 * external one alike, through JMS.
 */
public final class DeadLetters {

    /** Properties a dead letter carries, set by the deliver route. */
    public static final String CODE = "deadLetterCode";
    public static final String REASON = "deadLetterReason";
    public static final String ATTEMPTS = "deadLetterAttempts";
    public static final String FIRST_FAILURE = "deadLetterFirstFailureAt";
    public static final String LAST_FAILURE = "deadLetterLastFailureAt";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final int CHUNK = 100;
    private static final int MAX_PER_CALL = 10_000;

    private final ConnectionFactory connections;
    private final String queue;
    private final String deadLetterQueue;

    public DeadLetters(ConnectionFactory connections, String queue, String deadLetterQueue) {
        this.connections = connections;
        this.queue = queue;
        this.deadLetterQueue = deadLetterQueue;
    }

    /** One dead letter as the API shows it: never the body, only its size. */
    public record Entry(String id, String app, String eventId, String eventType, String code,
            String reason, Integer attempts, String firstFailureAt, String lastFailureAt,
            String deadLetteredAt, long bodyBytes) {
    }

    /** A page of dead letters, oldest first, and how many match in all. */
    public record Page(List<Entry> entries, int total) {
    }

    public Page list(String app, int offset, int limit) throws JMSException {
        String selector = app == null ? null : new DeadLetterFilter(false, app, null).selector();
        try (Connection c = connections.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = s.createBrowser(s.createQueue(deadLetterQueue), selector);
            List<Entry> entries = new ArrayList<>();
            int total = 0;
            Enumeration<?> e = browser.getEnumeration();
            while (e.hasMoreElements()) {
                Message m = (Message) e.nextElement();
                if (total >= offset && entries.size() < limit) {
                    entries.add(entry(m));
                }
                total++;
            }
            browser.close();
            return new Page(entries, total);
        }
    }

    /** Number of dead letters; reads the whole queue on an external broker, so scrape gently. */
    public long depth() throws JMSException {
        try (Connection c = connections.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = s.createBrowser(s.createQueue(deadLetterQueue));
            long n = Collections.list(browser.getEnumeration()).size();
            browser.close();
            return n;
        }
    }

    /**
     * Moves the matching dead letters back onto the queue, as fresh events with their app, id
     * and type. Only the dead letters present when the call starts are moved, each once: an
     * event that fails again comes back as a new dead letter, not into this call. Transactions
     * of a hundred: a failure part way leaves each event either still dead-lettered or queued.
     *
     * @return how many were moved, and how many matching ones were left for another call
     */
    public Result redrive(DeadLetterFilter filter) throws JMSException {
        Snapshot snapshot = snapshot(filter);
        int moved = 0;
        try (Connection c = connections.createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = s.createProducer(s.createQueue(queue));
            for (List<String> chunk : snapshot.chunks()) {
                MessageConsumer consumer = s.createConsumer(s.createQueue(deadLetterQueue),
                        new DeadLetterFilter(false, null, chunk).selector());
                for (int i = 0; i < chunk.size(); i++) {
                    Message m = consumer.receive(500);
                    if (m == null) {
                        break;
                    }
                    producer.send(copyForRedelivery(s, m));
                    moved++;
                }
                consumer.close();
                s.commit();
            }
        }
        LOG.info("{} dead letter(s) put back on {} ({})", moved, queue, describe(filter));
        return new Result(moved, snapshot.left());
    }

    /** Purges the matching dead letters present when the call starts. */
    public Result purge(DeadLetterFilter filter) throws JMSException {
        Snapshot snapshot = snapshot(filter);
        int purged = 0;
        try (Connection c = connections.createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            for (List<String> chunk : snapshot.chunks()) {
                MessageConsumer consumer = s.createConsumer(s.createQueue(deadLetterQueue),
                        new DeadLetterFilter(false, null, chunk).selector());
                for (int i = 0; i < chunk.size() && consumer.receive(500) != null; i++) {
                    purged++;
                }
                consumer.close();
                s.commit();
            }
        }
        LOG.info("{} dead letter(s) purged ({})", purged, describe(filter));
        return new Result(purged, snapshot.left());
    }

    /** What a redrive or purge did: how many it handled, how many matching ones it left. */
    public record Result(int done, int left) {
    }

    private record Snapshot(List<String> ids, int left) {
        List<List<String>> chunks() {
            List<List<String>> out = new ArrayList<>();
            for (int i = 0; i < ids.size(); i += CHUNK) {
                out.add(ids.subList(i, Math.min(ids.size(), i + CHUNK)));
            }
            return out;
        }
    }

    /** The ids of the matching dead letters now, up to a call's worth. */
    private Snapshot snapshot(DeadLetterFilter filter) throws JMSException {
        List<String> ids = new ArrayList<>();
        int left = 0;
        try (Connection c = connections.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = s.createBrowser(s.createQueue(deadLetterQueue),
                    filter.selector());
            Enumeration<?> e = browser.getEnumeration();
            while (e.hasMoreElements()) {
                Message m = (Message) e.nextElement();
                if (ids.size() < MAX_PER_CALL) {
                    ids.add(m.getJMSMessageID());
                } else {
                    left++;
                }
            }
            browser.close();
        }
        return new Snapshot(ids, left);
    }

    private static String describe(DeadLetterFilter f) {
        return f.all() ? "all" : f.app() != null ? "app " + f.app() : f.ids().size() + " id(s)";
    }

    private static Message copyForRedelivery(Session s, Message m) throws JMSException {
        Message copy = JmsMessages.copy(s, m);
        copy.setStringProperty("relaySource", "redrive");
        return copy;
    }

    private static Entry entry(Message m) throws JMSException {
        return new Entry(m.getJMSMessageID(), m.getStringProperty("appId"),
                m.getStringProperty("eventId"), m.getStringProperty("eventType"),
                m.getStringProperty(CODE), m.getStringProperty(REASON),
                m.propertyExists(ATTEMPTS) ? m.getIntProperty(ATTEMPTS) : null,
                m.getStringProperty(FIRST_FAILURE), m.getStringProperty(LAST_FAILURE),
                Instant.ofEpochMilli(m.getJMSTimestamp()).toString(), bodySize(m));
    }

    private static long bodySize(Message m) throws JMSException {
        if (m instanceof TextMessage t) {
            return t.getText() == null ? 0 : t.getText().getBytes(
                    java.nio.charset.StandardCharsets.UTF_8).length;
        }
        if (m instanceof BytesMessage b) {
            return b.getBodyLength();
        }
        return -1;
    }
}
