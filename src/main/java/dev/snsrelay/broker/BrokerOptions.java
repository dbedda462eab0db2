package dev.snsrelay.broker;

import java.nio.file.Path;

/**
 * How the relay reaches its queue: an Artemis broker embedded in the process (the default), or an
 * external broker by URL. Redelivery numbers apply to the embedded broker's address settings; an
 * external broker must be configured with its own.
 *
 * @param externalUrl         broker URL; blank means start the embedded broker
 * @param dataDir             folder for the embedded broker's journal, bindings and large messages
 * @param remoteAcceptor      host:port the embedded broker also listens on for other processes;
 *                            blank means in-process only
 * @param user                user name producers and the relay authenticate with
 * @param password            its password
 * @param queue               the queue events are kept in
 * @param deadLetterQueue     where events that cannot be delivered end up
 * @param maxDeliveryAttempts deliveries of one message before the broker dead-letters it itself
 * @param redeliveryDelayMs   wait before the first redelivery
 * @param redeliveryMultiplier growth of the wait from one redelivery to the next
 * @param maxRedeliveryDelayMs cap on the wait
 * @param duplicateWindowIds  how many recent event ids the broker remembers to drop a resent
 *                            event (X-Webhook-Id); persistent across restarts
 */
public record BrokerOptions(
        String externalUrl,
        Path dataDir,
        String remoteAcceptor,
        String user,
        String password,
        String queue,
        String deadLetterQueue,
        int maxDeliveryAttempts,
        long redeliveryDelayMs,
        double redeliveryMultiplier,
        long maxRedeliveryDelayMs,
        int duplicateWindowIds) {

    public boolean embedded() {
        return externalUrl == null || externalUrl.isBlank();
    }

    @Override
    public String toString() {
        // Records print every component; the password must never reach a log line.
        return "BrokerOptions[embedded=" + embedded() + ", dataDir=" + dataDir
                + ", remoteAcceptor=" + remoteAcceptor + ", queue=" + queue + "]";
    }
}
