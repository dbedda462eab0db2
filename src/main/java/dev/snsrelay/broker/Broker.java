package dev.snsrelay.broker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

import jakarta.jms.ConnectionFactory;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;
import org.apache.camel.support.service.ServiceSupport;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's queue: starts the embedded Artemis broker when no external one is configured, and
 * owns the pooled connection factory every JMS endpoint of the relay uses. Added to the Camel
 * context as a service, so it starts before the routes and stops after them.
 */
public final class Broker extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    /** How long a stopping broker waits for its clients to disconnect. */
    private static final long GRACEFUL_SHUTDOWN_MS = 10_000;
    private static final String RELAY_ROLE = "relay";
    private static final String PRODUCER_ROLE = "producer";
    private static final String INTERNAL_USER = "sns-relay-internal";
    private static final int MIN_LARGE_MESSAGE = 450 * 1024;

    private final BrokerOptions options;
    private final JmsPoolConnectionFactory pool;
    private final String internalPassword;
    private EmbeddedActiveMQ embedded;

    public Broker(BrokerOptions options, int poolSize) {
        this.options = options;
        // In the embedded broker the relay has an identity of its own, with a password made
        // for this run only; the configured user may only send events.
        this.internalPassword = HexFormat.of().formatHex(randomBytes());
        ActiveMQConnectionFactory target = options.embedded()
                ? new ActiveMQConnectionFactory("vm://0", INTERNAL_USER, internalPassword)
                : new ActiveMQConnectionFactory(options.externalUrl(), options.user(),
                        options.password());
        // Events up to SNS's usual 256 KB limit stay in the journal: above the client's default
        // of 100 KB, each message would be a file of its own, several times slower. Kept under
        // the journal's write buffer (490 KB).
        target.setMinLargeMessageSize(MIN_LARGE_MESSAGE);
        // Made now so JMS endpoints can be configured with it; it connects on first use.
        this.pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(target);
        pool.setMaxConnections(poolSize);
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** The pooled factory; plain sends would otherwise open a connection per message. */
    public ConnectionFactory connectionFactory() {
        return pool;
    }

    public BrokerOptions options() {
        return options;
    }

    @Override
    protected void doStart() throws Exception {
        if (options.embedded()) {
            embedded = new EmbeddedActiveMQ();
            embedded.setConfiguration(configuration());
            embedded.setSecurityManager(new Principals(options.user(), options.password(),
                    internalPassword));
            embedded.start();
            LOG.info("Embedded broker started: journal in {}, remote producers on {}",
                    options.dataDir(), remoteDescription());
        } else {
            LOG.info("Using the external broker configured in relay.broker.url");
        }
        pool.start();
    }

    /**
     * Messages on the dead-letter queue, for the relay_dead_letters gauge; NaN when the broker
     * is external (counting there would mean browsing the queue on every scrape).
     */
    public double deadLetterDepth() {
        if (embedded == null || embedded.getActiveMQServer() == null) {
            return Double.NaN;
        }
        var q = embedded.getActiveMQServer().locateQueue(options.deadLetterQueue());
        return q == null ? Double.NaN : q.getMessageCount();
    }

    @Override
    protected void doStop() throws Exception {
        if (pool != null) {
            pool.stop();
        }
        if (embedded != null) {
            embedded.stop();
            LOG.info("Embedded broker stopped");
        }
    }

    private String remoteDescription() {
        return isBlank(options.remoteAcceptor()) ? "disabled" : options.remoteAcceptor();
    }

    private Configuration configuration() throws Exception {
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("sns-relay");
        config.setPersistenceEnabled(true);
        config.setSecurityEnabled(true);
        config.setJMXManagementEnabled(false);
        config.setGracefulShutdownEnabled(true);
        // Clients get this long to finish and disconnect; then the broker closes them. Without
        // a bound, one JMS producer that stays connected held the relay's stop for ever.
        config.setGracefulShutdownTimeout(GRACEFUL_SHUTDOWN_MS);
        config.setJournalDirectory(options.dataDir().resolve("journal").toString());
        config.setBindingsDirectory(options.dataDir().resolve("bindings").toString());
        config.setLargeMessagesDirectory(options.dataDir().resolve("large-messages").toString());
        config.setPagingDirectory(options.dataDir().resolve("paging").toString());
        config.setNodeManagerLockDirectory(options.dataDir().toString());

        config.addAcceptorConfiguration("in-vm", "vm://0");
        if (!isBlank(options.remoteAcceptor())) {
            config.addAcceptorConfiguration("remote",
                    "tcp://" + options.remoteAcceptor() + "?protocols=CORE,AMQP,STOMP");
        }

        // The relay dead-letters with a reason itself after the configured attempts; the broker's
        // own limit is one higher, a backstop for a message that crashes the relay every time.
        AddressSettings events = new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(options.deadLetterQueue()))
                .setExpiryAddress(SimpleString.of(options.deadLetterQueue()))
                .setMaxDeliveryAttempts(options.maxDeliveryAttempts() + 1)
                .setRedeliveryDelay(options.redeliveryDelayMs())
                .setRedeliveryMultiplier(options.redeliveryMultiplier())
                .setMaxRedeliveryDelay(options.maxRedeliveryDelayMs())
                .setIDCacheSize(options.duplicateWindowIds())
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                .setAutoCreateQueues(false)
                .setAutoCreateAddresses(false);
        config.addAddressSetting(options.queue(), events);
        // Dead letters stay until an operator acts; the addresses only silence start-up warnings.
        config.addAddressSetting(options.deadLetterQueue(), new AddressSettings()
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                .setDeadLetterAddress(SimpleString.of(options.deadLetterQueue()))
                .setExpiryAddress(SimpleString.of(options.deadLetterQueue()))
                .setMaxDeliveryAttempts(-1));

        config.addQueueConfiguration(QueueConfiguration.of(options.queue())
                .setRoutingType(RoutingType.ANYCAST).setDurable(true));
        config.addQueueConfiguration(QueueConfiguration.of(options.deadLetterQueue())
                .setRoutingType(RoutingType.ANYCAST).setDurable(true));

        Role relay = new Role(RELAY_ROLE, true, true, true, true, true, true, true, true, true,
                true, true, true);
        // Producers may send to the events queue and nothing else: not consume from it, not
        // browse, purge or feed the dead-letter queue.
        Role producer = new Role(PRODUCER_ROLE, true, false, false, false, false, false, false,
                false, false, false, false, false);
        config.putSecurityRoles("#", Set.of(relay));
        config.putSecurityRoles(options.queue(), Set.of(relay, producer));
        return config;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * Two users: the relay itself (in-process, a password made for this run) and the producer
     * user from configuration. Passwords are compared in constant time.
     */
    private static final class Principals implements ActiveMQSecurityManager {

        private final byte[] producerUser;
        private final byte[] producerPassword;
        private final byte[] internalPassword;

        Principals(String user, String password, String internalPassword) {
            this.producerUser = user.getBytes(StandardCharsets.UTF_8);
            this.producerPassword = password.getBytes(StandardCharsets.UTF_8);
            this.internalPassword = internalPassword.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public boolean validateUser(String user, String password) {
            return roleOf(user, password) != null;
        }

        @Override
        public boolean validateUserAndRole(String user, String password, Set<Role> roles,
                CheckType checkType) {
            String role = roleOf(user, password);
            return role != null && roles.stream()
                    .anyMatch(r -> role.equals(r.getName()) && checkType.hasRole(r));
        }

        private String roleOf(String user, String password) {
            if (user == null || password == null) {
                return null;
            }
            byte[] u = user.getBytes(StandardCharsets.UTF_8);
            byte[] p = password.getBytes(StandardCharsets.UTF_8);
            if (MessageDigest.isEqual(u, INTERNAL_USER.getBytes(StandardCharsets.UTF_8))) {
                return MessageDigest.isEqual(p, internalPassword) ? RELAY_ROLE : null;
            }
            boolean ok = MessageDigest.isEqual(u, producerUser)
                    & MessageDigest.isEqual(p, producerPassword);
            return ok ? PRODUCER_ROLE : null;
        }
    }
}
