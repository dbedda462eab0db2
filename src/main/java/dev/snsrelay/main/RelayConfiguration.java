package dev.snsrelay.main;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snsrelay.admin.AdminApi;
import dev.snsrelay.admin.AdminToken;
import dev.snsrelay.admin.SettingsJson;
import dev.snsrelay.admin.SnsCheck;
import dev.snsrelay.broker.Broker;
import dev.snsrelay.broker.BrokerOptions;
import dev.snsrelay.broker.DeadLetters;
import dev.snsrelay.dashboard.DashboardAssets;
import dev.snsrelay.deliver.BatchDeliverer;
import dev.snsrelay.deliver.Delivery;
import dev.snsrelay.http.IngestGate;
import dev.snsrelay.ingest.EventJson;
import dev.snsrelay.ingest.HttpIngest;
import dev.snsrelay.ingest.QueueWriter;
import dev.snsrelay.secrets.GeneratedSecret;
import dev.snsrelay.metrics.RelayMetrics;
import dev.snsrelay.settings.JdbcAppSettingsStore;
import dev.snsrelay.settings.PropertiesAppSettings;
import dev.snsrelay.sns.FailureClassifier;
import dev.snsrelay.sns.SnsClientOptions;
import dev.snsrelay.sns.SnsClients;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.vertx.core.VertxOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the relay's parts from application.properties and binds them in the registry under the
 * names the YAML routes use: httpIngest, delivery, adminApi, dashboardAssets. Beans with side
 * effects (the broker) are made here rather than with @BindToRegistry, which camel-main would run
 * twice.
 */
public final class RelayConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(RelayConfiguration.class);

    @Override
    public void configure(CamelContext camel) throws Exception {
        PropertiesComponent props = camel.getPropertiesComponent();
        Path dataDir = Path.of(prop(props, "relay.data-dir", "data"));
        // The journal holds event bodies and the settings database holds credentials.
        Files.createDirectories(dataDir);
        // Also when the folder already existed, e.g. created by an older version or by hand.
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));

        // platform-http runs each request's route on a Vert.x worker thread, which then waits
        // for the broker's journal to be on disk before the 202. The workers are what bounds the
        // requests in flight: Vert.x's default of 20 capped ingest at 20 per disk sync.
        camel.getRegistry().bind("vertxOptions", new VertxOptions()
                .setWorkerPoolSize(intProp(props, "relay.http.worker-threads", 64)));

        BrokerOptions brokerOptions = new BrokerOptions(
                prop(props, "relay.broker.url", ""),
                dataDir.resolve("broker"),
                prop(props, "relay.broker.remote-acceptor", "127.0.0.1:61616"),
                prop(props, "relay.broker.user", "relay"),
                brokerPassword(props, dataDir),
                prop(props, "relay.queue.name", "chat.events"),
                prop(props, "relay.queue.dead-letter", "chat.events.DLQ"),
                intProp(props, "relay.deliver.max-attempts", 12),
                longProp(props, "relay.deliver.redelivery-delay-ms", 1000),
                Double.parseDouble(prop(props, "relay.deliver.redelivery-multiplier", "2.0")),
                longProp(props, "relay.deliver.max-redelivery-delay-ms", 60_000),
                intProp(props, "relay.ingest.duplicate-window-ids", 100_000));
        Broker broker = new Broker(brokerOptions, intProp(props, "relay.broker.pool-size", 8));
        // Added as a service: started before the routes, stopped after them.
        camel.addService(broker, true, true);
        camel.getRegistry().bind("broker", broker);

        // HTTP events go to the queue in groups, one commit for the requests waiting together.
        QueueWriter queueWriter = new QueueWriter(broker.connectionFactory(),
                brokerOptions.queue(), new QueueWriter.Options(
                        intProp(props, "relay.ingest.writers", 2),
                        intProp(props, "relay.ingest.group-size", 100),
                        longProp(props, "relay.ingest.group-bytes", 4_194_304),
                        longProp(props, "relay.ingest.queue-timeout-ms", 15_000)));
        // Added after the broker: started after it, stopped before it and after the routes.
        camel.addService(queueWriter, true, true);
        camel.getRegistry().bind("queueWriter", queueWriter);

        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(broker.connectionFactory());
        camel.addComponent("jms", jms);

        PrometheusMeterRegistry meters = meterRegistry(camel);

        // Apps may be declared in the file or as -D system properties; each key is resolved
        // through the properties component so system properties and {{env:...}} apply.
        Set<String> appKeys = new TreeSet<>(props.loadProperties(
                k -> k.startsWith(PropertiesAppSettings.PREFIX)).stringPropertyNames());
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith(PropertiesAppSettings.PREFIX)).forEach(appKeys::add);
        Properties appProps = new Properties();
        for (String key : appKeys) {
            appProps.setProperty(key, props.resolveProperty(key).orElse(""));
        }
        PropertiesAppSettings declared = PropertiesAppSettings.from(appProps);

        String jdbcUrl = prop(props, "relay.settings.jdbc-url", "");
        JdbcAppSettingsStore store = JdbcAppSettingsStore.open(
                jdbcUrl.isBlank() ? JdbcAppSettingsStore.h2Url(dataDir) : jdbcUrl,
                prop(props, "relay.settings.jdbc-user", ""),
                prop(props, "relay.settings.jdbc-password", ""),
                Duration.ofMillis(longProp(props, "relay.settings.refresh-ms", 2000)));
        camel.addService(new ClosingService(store), true, true);
        store.importDeclared(declared.all());
        camel.getRegistry().bind("appSettings", store);

        RelayMetrics metrics = new RelayMetrics(meters, id -> store.find(id).isPresent());
        camel.getRegistry().bind("relayMetrics", metrics);

        String eventTypeAttribute = prop(props, "relay.sns.event-type-attribute", "event_type");
        int consumers = intProp(props, "relay.deliver.consumers", 4);
        int transactionSize = intProp(props, "relay.deliver.transaction-size", 50);
        int maxClients = intProp(props, "relay.sns.max-clients", 2_000);
        int eventsInFlight = consumers * transactionSize;
        if (maxClients < eventsInFlight) {
            // A lower cap would close clients that events of open transactions still need.
            throw new IllegalArgumentException("relay.sns.max-clients (" + maxClients
                    + ") must be at least relay.deliver.consumers x"
                    + " relay.deliver.transaction-size (" + eventsInFlight + ")");
        }
        SnsClients clients = new SnsClients(camel, new SnsClientOptions(
                Duration.ofMillis(longProp(props, "relay.sns.api-call-timeout-ms", 20_000)),
                Duration.ofMillis(longProp(props, "relay.sns.attempt-timeout-ms", 5_000)),
                intProp(props, "relay.sns.sdk-max-attempts", 3),
                intProp(props, "relay.sns.max-connections", 64),
                prop(props, "relay.sts.endpoint", ""),
                prop(props, "relay.sns.endpoint", ""),
                Duration.ofMillis(longProp(props, "relay.sns.client-idle-ms", 600_000)),
                maxClients));
        camel.addService(new ClosingService(clients), true, true);
        camel.getRegistry().bind("snsClients", clients);
        // A changed or deleted app gets a new client on its next event; the old one goes now.
        store.onChange(clients::forget);
        meters.gauge("relay.sns.clients", clients, SnsClients::liveClients);
        FunctionCounter.builder("relay.ingest.commits", queueWriter, QueueWriter::commits)
                .description("Transactions that put HTTP events on the queue")
                .register(meters);
        FunctionCounter.builder("relay.ingest.groups_resent", queueWriter,
                        QueueWriter::resentGroups)
                .description("Groups of HTTP events sent again one by one because one of them"
                        + " repeated an X-Webhook-Id")
                .register(meters);
        FunctionCounter.builder("relay.sns.clients.closed_for_cap", clients,
                        SnsClients::closedForCap)
                .description("SNS clients closed because more apps were sending than"
                        + " relay.sns.max-clients")
                .register(meters);

        ObjectMapper mapper = new ObjectMapper();
        int maxBodyBytes = intProp(props, "relay.ingest.max-body-bytes", 2_097_152);
        EventJson json = new EventJson(intProp(props, "relay.ingest.max-depth", 64));
        FailureClassifier classifier = classifier(props);

        camel.getRegistry().bind("httpIngest", new HttpIngest(store, json, mapper, metrics,
                maxBodyBytes));
        Delivery delivery = new Delivery(store, clients, json, mapper, classifier, metrics,
                brokerOptions.maxDeliveryAttempts(), eventTypeAttribute,
                prop(props, "relay.sns.event-id-attribute", ""));
        camel.getRegistry().bind("delivery", delivery);
        if (!Boolean.parseBoolean(prop(props, "relay.deliver.per-message", "false"))) {
            BatchDeliverer batches = new BatchDeliverer(broker.connectionFactory(),
                    brokerOptions.queue(), brokerOptions.deadLetterQueue(), delivery,
                    camel.createProducerTemplate(), classifier, store, metrics,
                    new BatchDeliverer.Options(
                            consumers,
                            intProp(props, "relay.deliver.batch-size", 10),
                            transactionSize,
                            longProp(props, "relay.deliver.transaction-bytes", 4_194_304),
                            longProp(props, "relay.deliver.linger-ms", 2),
                            brokerOptions.maxDeliveryAttempts(),
                            brokerOptions.redeliveryDelayMs(),
                            brokerOptions.redeliveryMultiplier(),
                            brokerOptions.maxRedeliveryDelayMs()));
            // Started once the publish-batch route runs; stopped before any route stops, so a
            // transaction in flight still has the route to finish with.
            camel.addLifecycleStrategy(new LifecycleStrategySupport() {
                @Override
                public void onContextStarted(CamelContext context) {
                    batches.start();
                }

                @Override
                public void onContextStopping(CamelContext context) {
                    batches.stop();
                }
            });
        }

        DeadLetters deadLetters = new DeadLetters(broker.connectionFactory(),
                brokerOptions.queue(), brokerOptions.deadLetterQueue());
        camel.getRegistry().bind("deadLetters", deadLetters);
        meters.gauge("relay.dead_letters", broker, Broker::deadLetterDepth);

        AdminToken token = AdminToken.resolve(prop(props, "relay.admin.token", ""), dataDir);
        SnsCheck check = new SnsCheck(clients, mapper,
                Duration.ofMillis(longProp(props, "relay.admin.check-timeout-ms", 4000)),
                eventTypeAttribute);
        SettingsJson settingsJson = new SettingsJson(mapper,
                prop(props, "relay.aws.principal-arn", ""));
        String host = prop(props, "camel.server.host", "127.0.0.1");
        String port = prop(props, "camel.server.port", "8080");
        camel.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStarted(CamelContext context) {
                IngestGate.install(context, Integer.parseInt(port), mapper, metrics,
                        maxBodyBytes);
                // Camel's own endpoint summary shows the wildcard address whatever the bind address is.
                LOG.info("sns-relay ready on http://{}:{}: events at /v1/apps/<app>/events, "
                        + "admin API at /v1, dashboard at /dashboard, health and metrics at "
                        + "/observe", host, port);
            }
        });
        camel.getRegistry().bind("adminApi", new AdminApi(store, settingsJson, check, token,
                app -> declared.find(app).isPresent(), metrics, deadLetters));
        camel.getRegistry().bind("dashboardAssets", DashboardAssets.fromClasspath());
        camel.getRegistry().bind("dashboardHeaders", DashboardAssets.responseHeaders());
    }

    /** The registry /observe/metrics scrapes: camel-micrometer-prometheus binds it first. */
    private static PrometheusMeterRegistry meterRegistry(CamelContext camel) {
        PrometheusMeterRegistry meters = camel.getRegistry()
                .lookupByNameAndType("metricsRegistry", PrometheusMeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            camel.getRegistry().bind("metricsRegistry", meters);
        }
        return meters;
    }

    /** Each configured list replaces its built-in one; an unset list keeps the built-in. */
    private static FailureClassifier classifier(PropertiesComponent props) {
        return FailureClassifier.defaults().with(
                codes(prop(props, "relay.deliver.dead-letter-codes", "")),
                codes(prop(props, "relay.deliver.retry-codes", "")));
    }

    private static Set<String> codes(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }

    /**
     * The broker password from configuration, or one generated at first start and kept in
     * data/broker-password, readable by the owner only. Its value is never logged.
     */
    private static String brokerPassword(PropertiesComponent props, Path dataDir)
            throws IOException {
        String configured = prop(props, "relay.broker.password", "");
        if (!configured.isBlank()) {
            return configured;
        }
        Path file = dataDir.resolve("broker-password");
        GeneratedSecret.Result secret = GeneratedSecret.readOrCreate(file, 24);
        if (secret.created()) {
            LOG.info("No relay.broker.password configured: generated one for remote producers"
                    + " in {}", file.toAbsolutePath());
        }
        return secret.value();
    }

    static String prop(PropertiesComponent props, String key, String fallback) {
        return props.resolveProperty(key).map(String::trim).orElse(fallback);
    }

    static int intProp(PropertiesComponent props, String key, int fallback) {
        String v = prop(props, key, "");
        return v.isEmpty() ? fallback : Integer.parseInt(v);
    }

    static long longProp(PropertiesComponent props, String key, long fallback) {
        String v = prop(props, key, "");
        return v.isEmpty() ? fallback : Long.parseLong(v);
    }

    /** Closes an AutoCloseable when the context stops. */
    private static final class ClosingService extends ServiceSupport {
        private final AutoCloseable target;

        ClosingService(AutoCloseable target) {
            this.target = target;
        }

        @Override
        protected void doStop() throws Exception {
            target.close();
        }
    }
}
