package dev.snsrelay.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;

import dev.snsrelay.deliver.Delivery;
import dev.snsrelay.deliver.LogText;
import org.apache.activemq.artemis.api.core.ActiveMQDuplicateIdException;
import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts accepted HTTP events on the queue in groups: the requests waiting at the same moment are
 * sent in one JMS transaction and made durable by one commit, and each request returns once the
 * commit that holds its event is done. One send and one disk sync per request is what used to
 * bound HTTP ingest; a group costs the broker one commit for dozens of events.
 *
 * <p>Resent events (the same duplicate id, from X-Webhook-Id) are handled in two places. Artemis
 * refuses a whole transaction when one of its messages repeats an id it has committed before, so
 * such a group is sent again one event at a time, outside a transaction, where the broker drops
 * just the repeated event. It does not compare ids between transactions still open, so a resend
 * arriving while its original waits or is being sent is not queued at all: it gets the
 * original's outcome. An event the broker will not take at all (properties too large for a
 * journal record) is answered 400 on its own while the rest of its group is queued. A lost
 * connection fails every request of the group: none of them is answered 202.
 */
public final class QueueWriter extends ServiceSupport {

    /**
     * @param writers   threads sending groups, each with its own session; a second one sends
     *                  the next group while the first waits for its commit
     * @param groupSize most events in one transaction
     * @param groupChars most body characters in one transaction (large events make small groups)
     * @param timeoutMs  how long a request waits for its commit before it is answered 503
     */
    public record Options(int writers, int groupSize, long groupChars, long timeoutMs) {
        public Options {
            if (writers < 1 || groupSize < 1 || groupChars < 1 || timeoutMs < 1) {
                throw new IllegalArgumentException("relay.ingest.writers, group-size,"
                        + " group-bytes and queue-timeout-ms must be at least 1");
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(QueueWriter.class);
    private static final long POLL_MS = 200;

    private final ConnectionFactory connections;
    private final String queue;
    private final Options options;
    private final BlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
    /** Duplicate ids of the events waiting or being sent, so a racing resend is not queued. */
    private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final LongAdder commits = new LongAdder();
    private final LongAdder resentGroups = new LongAdder();
    private volatile boolean running;

    public QueueWriter(ConnectionFactory connections, String queue, Options options) {
        this.connections = connections;
        this.queue = queue;
        this.options = options;
    }

    /**
     * Queues the exchange's text body with its String headers as message properties, and
     * returns once the broker has it on disk. Throws when it was not confirmed (it may still be
     * queued when the wait timed out) or the broker refused it.
     */
    public void write(Exchange exchange) throws Exception {
        Map<String, Object> headers = exchange.getIn().getHeaders();
        Map<String, String> properties = new HashMap<>(headers.size() * 2);
        headers.forEach((k, v) -> {
            if (v instanceof String s) {
                properties.put(k, s);
            }
        });
        Pending p = new Pending(exchange.getIn().getBody(String.class), properties);
        if (!running) {
            throw new QueueUnavailableException("the relay is stopping");
        }
        String id = properties.get(HttpIngest.DUPLICATE_ID);
        if (id != null) {
            // The broker checks an id against the transactions already committed, not against
            // those still open: a resend racing its original shares the original's fate.
            Pending original = inFlight.putIfAbsent(id, p);
            if (original != null) {
                await(original);
                return;
            }
            // Only once the outcome is known: then a later resend is the broker's to drop, or
            // the original was not queued. Not when this request stops waiting (a timeout).
            p.done.whenComplete((ok, failed) -> inFlight.remove(id, p));
        }
        waiting.add(p);
        if (!running && waiting.remove(p)) {
            // Stopped between the check and the add, after the writers left: not sent.
            QueueUnavailableException e = new QueueUnavailableException("the relay is stopping");
            p.done.completeExceptionally(e);
            throw e;
        }
        await(p);
    }

    private void await(Pending p) throws Exception {
        try {
            p.done.get(options.timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            // The broker is not taking events (a full disk, a lost external broker): the
            // sender retries rather than every worker thread waiting here.
            throw new QueueUnavailableException("the broker did not confirm the event within "
                    + options.timeoutMs() + " ms");
        }
    }

    /** Groups committed so far. */
    public long commits() {
        return commits.sum();
    }

    /** Groups the broker rolled back (a repeated duplicate id) and that were sent one by one. */
    public long resentGroups() {
        return resentGroups.sum();
    }

    /** Events waiting for a writer; for tests. */
    int waitingCount() {
        return waiting.size();
    }

    @Override
    protected void doStart() {
        running = true;
        for (int i = 1; i <= options.writers(); i++) {
            Thread t = new Thread(this::work, "ingest-writer-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        threads.clear();
        // The routes stopped first, so this is only ever a request that raced the stop.
        for (Pending p; (p = waiting.poll()) != null;) {
            p.done.completeExceptionally(new QueueUnavailableException("the relay is stopping"));
        }
    }

    private void work() {
        List<Pending> group = new ArrayList<>(options.groupSize());
        long backoffMs = 100;
        while (running) {
            try (Connection c = connections.createConnection()) {
                Session grouped = c.createSession(true, Session.SESSION_TRANSACTED);
                MessageProducer groupedProducer = producer(grouped);
                backoffMs = 100;
                while (running) {
                    if (!take(group)) {
                        continue;
                    }
                    if (sendGrouped(c, grouped, groupedProducer, group)) {
                        group.forEach(p -> p.done.complete(null));
                    }
                    group.clear();
                }
            } catch (Throwable e) {
                // An Error too (a heap exhausted by large events): the thread lives on, and no
                // request waits for a group it will never finish. Those already waiting would
                // wait for the reconnection: they are answered now and their senders retry.
                for (Pending p; (p = waiting.poll()) != null;) {
                    group.add(p);
                }
                fail(group, e);
                LOG.warn("Ingest could not queue {} event(s): {}: {}; answered 503, reconnecting"
                        + " in {} ms", group.size(), e.getClass().getSimpleName(),
                        e.getMessage(), backoffMs);
                group.clear();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs));
                backoffMs = Math.min(backoffMs * 2, 2_000);
            }
        }
    }

    /**
     * Sends the group in one transaction; true when it is committed. When one of its events
     * stops the transaction (a resent id the broker refuses at the commit, or an event the
     * broker will not take at all), the group is sent again one event at a time instead, and
     * settled there. Throws when the connection fails.
     */
    private boolean sendGrouped(Connection c, Session grouped, MessageProducer producer,
            List<Pending> group) throws JMSException {
        try {
            for (Pending p : group) {
                producer.send(p.message(grouped));
            }
        } catch (JMSException | RuntimeException e) {
            // Nothing is committed yet; a lost connection makes the rollback throw as well.
            grouped.rollback();
            sendOneByOne(c, group);
            return false;
        }
        try {
            grouped.commit();
            commits.increment();
            return true;
        } catch (JMSException e) {
            // A refused repeated id, an event too large to store, or a transaction failover
            // rolled back: either way nothing of the group is queued, and one by one is safe.
            // Any other commit failure leaves the outcome unknown: the group is answered 503
            // and its senders retry.
            boolean repeated = repeatedId(e);
            if (!repeated && !tooLarge(e) && !(e instanceof TransactionRolledBackException)) {
                throw e;
            }
            grouped.rollback();
            if (repeated) {
                LOG.debug("A group of {} held a repeated X-Webhook-Id; sending it one by one",
                        group.size());
                resentGroups.increment();
            }
            sendOneByOne(c, group);
            return false;
        }
    }

    /**
     * Sends each event on its own, outside a transaction, where the broker drops just a
     * repeated id. An event too large for the broker to store is answered 400 alone; any other
     * failure is the connection's and is thrown.
     */
    private void sendOneByOne(Connection c, List<Pending> group) throws JMSException {
        Session single = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        try {
            MessageProducer producer = producer(single);
            for (Pending p : group) {
                try {
                    producer.send(p.message(single));
                    p.done.complete(null);
                } catch (JMSException | RuntimeException e) {
                    if (!tooLarge(e)) {
                        throw e;
                    }
                    closeQuietly(single);
                    single = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    producer = producer(single);
                    String why = LogText.safe(e.getMessage());
                    LOG.warn("The queue refused an event of app {} (answered 400): {}",
                            LogText.safe(p.properties.get(Delivery.APP_ID)), why);
                    p.done.completeExceptionally(new IngestRejectedException(400,
                            "event_not_queueable", "the queue refused this event: " + why));
                }
            }
        } finally {
            closeQuietly(single);
        }
    }

    private static void closeQuietly(Session s) {
        try {
            s.close();
        } catch (JMSException | RuntimeException e) {
            LOG.debug("Closing an ingest session failed: {}", e.getMessage());
        }
    }

    /**
     * Whether the broker refused the group because one of its events repeats a duplicate id it
     * has committed before (at the commit of the transaction it marked rollback-only).
     */
    static boolean repeatedId(JMSException e) {
        return anyCause(e, t -> t instanceof ActiveMQDuplicateIdException);
    }

    /**
     * Whether the broker refused an event for its size: message properties over the client's
     * header limit (AMQ219022) or a message over the journal's record size (AMQ149005).
     * Retrying cannot help such an event, and the connection is fine.
     */
    static boolean tooLarge(Exception e) {
        return anyCause(e, t -> t.getMessage() != null
                && (t.getMessage().startsWith("AMQ219022")
                        || t.getMessage().startsWith("AMQ149005")));
    }

    /** The exception, its causes and the JMS exceptions' linked ones, a few levels deep. */
    private static boolean anyCause(Throwable e, Predicate<Throwable> test) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 10; depth++) {
            if (test.test(t) || t instanceof JMSException j && j.getLinkedException() != null
                    && test.test(j.getLinkedException())) {
                return true;
            }
            t = t.getCause() != null ? t.getCause()
                    : t instanceof JMSException j ? j.getLinkedException() : null;
        }
        return false;
    }

    private MessageProducer producer(Session s) throws JMSException {
        MessageProducer producer = s.createProducer(s.createQueue(queue));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        return producer;
    }

    /** Waits briefly for a first event, then adds those already waiting, within the limits. */
    private boolean take(List<Pending> group) {
        Pending first;
        try {
            first = waiting.poll(POLL_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        }
        if (first == null) {
            return false;
        }
        group.add(first);
        long chars = first.chars();
        while (group.size() < options.groupSize() && chars < options.groupChars()) {
            Pending next = waiting.poll();
            if (next == null) {
                break;
            }
            group.add(next);
            chars += next.chars();
        }
        return true;
    }

    private static void fail(List<Pending> group, Throwable cause) {
        QueueUnavailableException e = new QueueUnavailableException(
                cause.getClass().getSimpleName() + ": " + cause.getMessage());
        group.forEach(p -> p.done.completeExceptionally(e));
    }

    /** The queue did not take an event; the request is answered 503 and may be retried. */
    public static final class QueueUnavailableException extends Exception {
        QueueUnavailableException(String message) {
            super(message);
        }
    }

    /** One request's event, and what it waits on. */
    private static final class Pending {
        private final String body;
        private final Map<String, String> properties;
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        Pending(String body, Map<String, String> properties) {
            this.body = body;
            this.properties = properties;
        }

        long chars() {
            return body == null ? 0 : body.length();
        }

        TextMessage message(Session s) throws JMSException {
            TextMessage m = s.createTextMessage(body);
            for (Map.Entry<String, String> e : properties.entrySet()) {
                m.setStringProperty(e.getKey(), e.getValue());
            }
            return m;
        }
    }
}
