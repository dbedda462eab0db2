package dev.snsrelay.deliver;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import dev.snsrelay.broker.DeadLetters;
import dev.snsrelay.broker.JmsMessages;
import dev.snsrelay.metrics.RelayMetrics;
import dev.snsrelay.settings.AppSettingsLookup;
import dev.snsrelay.settings.Redaction;
import dev.snsrelay.sns.DeliveryFailure;
import dev.snsrelay.sns.FailureClassifier;
import dev.snsrelay.sns.FailureKind;
import dev.snsrelay.sns.UndeliverableEventException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishBatchResultEntry;

/**
 * Delivers with PublishBatch: each worker takes up to a transaction's worth of events from the
 * queue in one JMS transaction, groups them by app, publishes up to ten at a time through the
 * publish-batch route, and then, in the same transaction, requeues (with a delay) the entries SNS
 * failed for a reason worth retrying and dead-letters those it refused for good. Only then does
 * it commit: an event leaves the queue published, discarded on purpose, requeued, or
 * dead-lettered, never otherwise. Anything unexpected rolls the whole transaction back and the
 * broker redelivers.
 */
public final class BatchDeliverer extends ServiceSupport {

    /**
     * @param consumers       worker threads, each with its own JMS session
     * @param batchSize       entries per PublishBatch (SNS allows 10)
     * @param transactionSize events taken from the queue per transaction
     * @param transactionBytes body bytes past which a transaction takes no more events, so that
     *                        large events do not multiply into hundreds of megabytes in flight
     * @param lingerMs        how long a worker waits for more events to fill a transaction
     * @param maxAttempts     attempts before a retryable failure is dead-lettered
     * @param retryDelayMs    delay before the first retry of a failed entry
     * @param multiplier      growth of that delay per attempt
     * @param maxRetryDelayMs cap on the delay
     */
    public record Options(int consumers, int batchSize, int transactionSize,
            long transactionBytes, long lingerMs, int maxAttempts, long retryDelayMs,
            double multiplier, long maxRetryDelayMs) {
    }

    /** Set on a requeued copy: the attempt it is, and when the event first failed. */
    static final String ATTEMPT = "relayAttempt";
    static final String FIRST_FAILURE = "relayFirstFailureAt";

    private static final Logger LOG = LoggerFactory.getLogger(BatchDeliverer.class);
    private static final String PUBLISH_ROUTE = "direct:publish-batch";

    private final ConnectionFactory connections;
    private final String queue;
    private final String deadLetterQueue;
    private final Delivery delivery;
    private final ProducerTemplate template;
    private final FailureClassifier classifier;
    private final AppSettingsLookup settings;
    private final RelayMetrics metrics;
    private final Options options;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;

    public BatchDeliverer(ConnectionFactory connections, String queue, String deadLetterQueue,
            Delivery delivery, ProducerTemplate template, FailureClassifier classifier,
            AppSettingsLookup settings, RelayMetrics metrics, Options options) {
        this.connections = connections;
        this.queue = queue;
        this.deadLetterQueue = deadLetterQueue;
        this.delivery = delivery;
        this.template = template;
        this.classifier = classifier;
        this.settings = settings;
        this.metrics = metrics;
        this.options = options;
    }

    @Override
    protected void doStart() {
        running = true;
        for (int i = 1; i <= options.consumers(); i++) {
            Thread t = new Thread(this::work, "deliver-batch-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        LOG.info("Batch delivery started: {} worker(s), up to {} events per PublishBatch",
                options.consumers(), options.batchSize());
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        // Each worker finishes (commits or rolls back) the transaction it is in.
        for (Thread t : workers) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        workers.clear();
    }

    private void work() {
        long backoffMs = 500;
        while (running) {
            try (Connection c = connections.createConnection()) {
                c.start();
                Session s = c.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
                MessageProducer requeue = s.createProducer(s.createQueue(queue));
                MessageProducer dead = s.createProducer(s.createQueue(deadLetterQueue));
                backoffMs = 500;
                while (running) {
                    List<Message> batch = poll(consumer);
                    if (batch.isEmpty()) {
                        continue;
                    }
                    try {
                        new Transaction(s, requeue, dead).deliver(batch);
                        s.commit();
                    } catch (Exception e) {
                        LOG.warn("Delivery of {} event(s) rolled back, the broker will redeliver"
                                + " them: {}", batch.size(), describe(e));
                        s.rollback();
                    }
                }
            } catch (JMSException | RuntimeException | Error e) {
                // An Error (out of memory, say) must not end the worker for good: delivery would
                // stop without a word. The session goes, the transaction rolls back, and the
                // worker starts over.
                if (e instanceof Error) {
                    LOG.error("Batch delivery worker failed, restarting it in {} ms: {}",
                            backoffMs, describe(e));
                } else if (running) {
                    LOG.warn("Batch delivery lost its broker session, reconnecting in {} ms: {}",
                            backoffMs, describe(e));
                }
                if (running) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs));
                    backoffMs = Math.min(backoffMs * 2, 10_000);
                }
            }
        }
    }

    /** The next events: waits for one, then briefly for more, up to a transaction's worth. */
    private List<Message> poll(MessageConsumer consumer) throws JMSException {
        List<Message> batch = new ArrayList<>();
        Message first = consumer.receive(500);
        if (first == null) {
            return batch;
        }
        batch.add(first);
        long bytes = JmsMessages.approximateSize(first);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.lingerMs());
        while (batch.size() < options.transactionSize() && bytes < options.transactionBytes()) {
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            Message next = leftMs > 0 ? consumer.receive(leftMs) : consumer.receiveNoWait();
            if (next == null) {
                break;
            }
            batch.add(next);
            bytes += JmsMessages.approximateSize(next);
        }
        return batch;
    }

    /** One transaction's work; every event ends in exactly one outcome. */
    private final class Transaction {

        private final Session session;
        private final MessageProducer requeue;
        private final MessageProducer dead;

        Transaction(Session session, MessageProducer requeue, MessageProducer dead) {
            this.session = session;
            this.requeue = requeue;
            this.dead = dead;
        }

        void deliver(List<Message> batch) throws JMSException {
            Map<String, List<Item>> byTarget = new LinkedHashMap<>();
            for (Message m : batch) {
                Item item = Item.of(m);
                try {
                    PreparedEvent event = delivery.prepareEvent(JmsMessages.body(m), item.appId,
                            item.eventId, item.attempt, item.source, t -> item.type = t);
                    if (event != null) {
                        item.event = event;
                        byTarget.computeIfAbsent(event.clientBean() + " " + event.topicArn(),
                                k -> new ArrayList<>()).add(item);
                    }
                } catch (UndeliverableEventException e) {
                    fail(item, new DeliveryFailure(
                            FailureKind.DEAD_LETTER, e.code(), e.getMessage()));
                } catch (RuntimeException e) {
                    fail(item, classifier.classify(e));
                }
            }
            for (List<Item> items : byTarget.values()) {
                for (List<Item> chunk : chunks(items)) {
                    publish(chunk);
                }
            }
        }

        /**
         * Consecutive runs within SNS's batch limits: entry count and total size. On a FIFO
         * topic a batch holds at most one event per message group, so that a failed entry never
         * has a later event of its group published beside it.
         */
        private List<List<Item>> chunks(List<Item> items) {
            List<List<Item>> out = new ArrayList<>();
            List<Item> current = new ArrayList<>();
            Set<String> groups = new HashSet<>();
            long size = 0;
            for (Item item : items) {
                long s = item.event.size();
                if (!current.isEmpty() && (current.size() == options.batchSize()
                        || size + s > item.event.maxMessageBytes()
                        || (item.event.fifo() && groups.contains(item.event.groupId())))) {
                    out.add(current);
                    current = new ArrayList<>();
                    groups.clear();
                    size = 0;
                }
                current.add(item);
                if (item.event.fifo()) {
                    groups.add(item.event.groupId());
                }
                size += s;
            }
            if (!current.isEmpty()) {
                out.add(current);
            }
            return out;
        }

        /**
         * Publishes a chunk. On a standard topic, entries that failed for a retryable reason
         * are requeued with a delay. On a FIFO topic they are retried here, in order, while the
         * rest of their group waits: a requeued copy, or a broker redelivery with a delay, would
         * let later events of the group overtake them.
         */
        private void publish(List<Item> chunk) throws JMSException {
            List<Failed> retry = publishOnce(chunk, false);
            if (!chunk.get(0).event.fifo()) {
                for (Failed f : retry) {
                    fail(f.item, f.failure);
                }
                return;
            }
            while (!retry.isEmpty()) {
                List<Item> again = new ArrayList<>();
                for (Failed f : retry) {
                    if (f.item.attempt >= options.maxAttempts()) {
                        fail(f.item, f.failure);
                    } else {
                        if (f.item.attempt == 1) {
                            LOG.warn("FIFO publish failed, retrying in order: app={} id={} "
                                    + "error={}: {}", LogText.safe(f.item.appId),
                                    LogText.safe(f.item.eventId), f.failure.code(),
                                    LogText.safe(f.failure.message()));
                        }
                        again.add(f.item);
                    }
                }
                if (again.isEmpty()) {
                    return;
                }
                if (!running) {
                    // Stopping: roll back; the events are delivered after the restart.
                    throw new FifoRetryException(retry.get(0).failure);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(
                        delayFor(again.get(0).attempt)));
                again.forEach(i -> i.attempt++);
                retry = publishOnce(again, true);
            }
        }

        /**
         * One PublishBatch; returns the entries worth retrying, settles all the others. A retry
         * asks for the app's client again: the one the events were prepared with may have been
         * closed meanwhile (settings changed, or more apps sending than the client cap).
         */
        private List<Failed> publishOnce(List<Item> chunk, boolean retrying)
                throws JMSException {
            List<PublishBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                PreparedEvent e = chunk.get(i).event;
                PublishBatchRequestEntry.Builder b = PublishBatchRequestEntry.builder()
                        .id(String.valueOf(i)).message(e.message());
                if (!e.attributes().isEmpty()) {
                    Map<String, MessageAttributeValue> attrs = new LinkedHashMap<>();
                    e.attributes().forEach((k, v) -> attrs.put(k, MessageAttributeValue.builder()
                            .dataType("String").stringValue(v).build()));
                    b.messageAttributes(attrs);
                }
                if (e.fifo()) {
                    b.messageGroupId(e.groupId()).messageDeduplicationId(e.deduplicationId());
                }
                entries.add(b.build());
            }
            PreparedEvent first = chunk.get(0).event;
            String current = retrying ? delivery.currentClientBean(first) : null;
            String client = current != null ? current : first.clientBean();
            Exchange result = template.send(PUBLISH_ROUTE, x -> {
                x.getIn().setBody(entries);
                x.setProperty(Delivery.TOPIC_ARN, first.topicArn());
                x.setProperty(Delivery.SNS_CLIENT, client);
            });

            List<Failed> retry = new ArrayList<>();
            if (result.getException() != null) {
                DeliveryFailure failure = classifier.classify(result.getException());
                for (Item item : chunk) {
                    settle(item, failure, retry);
                }
                return retry;
            }
            PublishBatchResponse response =
                    result.getMessage().getBody(PublishBatchResponse.class);
            Set<String> done = new HashSet<>();
            if (response != null) {
                for (PublishBatchResultEntry ok : response.successful()) {
                    Item item = chunk.get(Integer.parseInt(ok.id()));
                    metrics.published(item.appId);
                    done.add(ok.id());
                }
                for (BatchResultErrorEntry err : response.failed()) {
                    settle(chunk.get(Integer.parseInt(err.id())), classifier.classifyEntry(
                            err.code(), err.message(), Boolean.TRUE.equals(err.senderFault())),
                            retry);
                    done.add(err.id());
                }
            }
            for (int i = 0; i < chunk.size(); i++) {
                if (!done.contains(String.valueOf(i))) {
                    // SNS said nothing about this entry: not proof of delivery, so retry.
                    retry.add(new Failed(chunk.get(i), new DeliveryFailure(FailureKind.RETRY,
                            "NoResult", "no result for this entry in the PublishBatch answer")));
                }
            }
            return retry;
        }

        private void settle(Item item, DeliveryFailure failure, List<Failed> retry)
                throws JMSException {
            if (failure.retryable()) {
                retry.add(new Failed(item, failure));
            } else {
                fail(item, failure);
            }
        }

        /** Requeues a retryable failure with a delay, or dead-letters the event. */
        private void fail(Item item, DeliveryFailure raw) throws JMSException {
            DeliveryFailure failure = new DeliveryFailure(raw.kind(), raw.code(),
                    Redaction.redact(raw.message(), item.appId == null ? null
                            : settings.find(item.appId).orElse(null)));
            Instant now = Instant.now();
            Instant first = item.firstFailure == null ? now : item.firstFailure;
            if (failure.retryable() && item.attempt < options.maxAttempts()) {
                if (item.attempt == 1) {
                    LOG.warn("Publish failed, will retry: app={} type={} id={} error={}: {}",
                            LogText.safe(item.appId), LogText.safe(item.type),
                            LogText.safe(item.eventId), failure.code(),
                            LogText.safe(failure.message()));
                }
                Message copy = JmsMessages.copy(session, item.message);
                // A producer's event without an eventId is known by its first message id; the
                // copy keeps it, so the event's id does not change from one attempt to the next.
                copy.setStringProperty(Delivery.EVENT_ID, item.eventId);
                copy.setIntProperty(ATTEMPT, item.attempt + 1);
                copy.setStringProperty(FIRST_FAILURE, first.toString());
                copy.setStringProperty(Delivery.SOURCE,
                        item.source == null ? "retry" : item.source);
                requeue.setDeliveryDelay(delayFor(item.attempt));
                requeue.send(copy);
                return;
            }

            String reason = failure.retryable()
                    ? "retries exhausted after " + item.attempt + " attempts: " + failure.message()
                    : failure.message();
            LOG.warn("Event moved to the dead-letter queue: app={} type={} id={} attempts={} "
                    + "reason={}: {}", LogText.safe(item.appId), LogText.safe(item.type),
                    LogText.safe(item.eventId), item.attempt, failure.code(),
                    LogText.safe(reason));
            metrics.deadLettered(item.appId, failure.code());
            Message copy = JmsMessages.copy(session, item.message);
            if (item.eventId != null) {
                copy.setStringProperty(Delivery.EVENT_ID, item.eventId);
            }
            if (item.type != null) {
                copy.setStringProperty(Delivery.EVENT_TYPE, item.type);
            }
            copy.setStringProperty(DeadLetters.CODE, failure.code());
            copy.setStringProperty(DeadLetters.REASON, reason);
            copy.setIntProperty(DeadLetters.ATTEMPTS, item.attempt);
            copy.setStringProperty(DeadLetters.FIRST_FAILURE, first.toString());
            copy.setStringProperty(DeadLetters.LAST_FAILURE, now.toString());
            dead.send(copy);
        }
    }

    private record Failed(Item item, DeliveryFailure failure) {
    }

    /** Rolls a transaction back when stopping in the middle of a FIFO retry. */
    private static final class FifoRetryException extends RuntimeException {
        FifoRetryException(DeliveryFailure failure) {
            super("FIFO publish failed, retried in order: " + failure.code() + ": "
                    + failure.message(), null, false, false);
        }
    }

    private long delayFor(int attempt) {
        double delay = options.retryDelayMs() * Math.pow(options.multiplier(), attempt - 1);
        return (long) Math.min(delay, options.maxRetryDelayMs());
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** One queued event and what is known of it. */
    private static final class Item {
        Message message;
        String appId;
        String eventId;
        String source;
        String type;
        int attempt;
        Instant firstFailure;
        PreparedEvent event;

        static Item of(Message m) throws JMSException {
            Item i = new Item();
            i.message = m;
            i.appId = m.getStringProperty(Delivery.APP_ID);
            String id = m.getStringProperty(Delivery.EVENT_ID);
            i.eventId = id != null ? id : m.getJMSMessageID();
            i.type = m.getStringProperty(Delivery.EVENT_TYPE);
            i.source = m.getStringProperty(Delivery.SOURCE);
            // A requeued copy counts on from its attempt; a rollback adds broker redeliveries.
            int base = m.propertyExists(ATTEMPT) ? m.getIntProperty(ATTEMPT) : 1;
            int deliveries = m.propertyExists("JMSXDeliveryCount")
                    ? m.getIntProperty("JMSXDeliveryCount") : 1;
            i.attempt = base + Math.max(0, deliveries - 1);
            String first = m.getStringProperty(FIRST_FAILURE);
            i.firstFailure = first == null ? null : Instant.parse(first);
            return i;
        }
    }
}
