package dev.snsrelay.routes;

import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snsrelay.deliver.Delivery;
import dev.snsrelay.e2e.SampleEvents;
import dev.snsrelay.ingest.EventJson;
import dev.snsrelay.ingest.HttpIngest;
import dev.snsrelay.metrics.RelayMetrics;
import dev.snsrelay.settings.PropertiesAppSettings;
import dev.snsrelay.sns.FailureClassifier;
import dev.snsrelay.sns.SnsClientOptions;
import dev.snsrelay.sns.SnsClients;
import dev.snsrelay.testing.TestSecrets;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Runs the real YAML routes from routes/ with the relay's real beans, wired the way
 * RelayConfiguration wires them, except that no broker, HTTP server or network is involved: a
 * subclass swaps the consumers for direct: endpoints and the JMS producers for mocks, and every
 * app's SNS client is one {@link FakeSnsClient}.
 */
abstract class RouteTestSupport extends CamelTestSupport {

    /** A standard topic with default limits. */
    static final String APP = "demo";
    static final String APP_TOPIC = "arn:aws:sns:us-east-1:123456789012:demo-events";
    /** A topic whose MaximumMessageSize was raised to the largest SNS allows. */
    static final String BIG_APP = "bigapp";
    /** Delivers only message.new and message.updated. */
    static final String FILTERED_APP = "filtered";
    /** enabled = false. */
    static final String PAUSED_APP = "paused";
    /** A FIFO topic. */
    static final String FIFO_APP = "ordered";
    static final String FIFO_TOPIC = "arn:aws:sns:eu-west-1:123456789012:chat-events.fifo";

    static final String QUEUE = "chat.events";
    static final String DEAD_LETTER_QUEUE = "chat.events.DLQ";
    /** Lower than the shipped 12 so that the last attempt is easy to name. */
    static final int MAX_ATTEMPTS = 5;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The value at the end of one Prometheus sample line. */
    private static final Pattern SAMPLE_VALUE = Pattern.compile("}\\s+(\\S+)$");

    protected final FakeSnsClient sns = new FakeSnsClient();
    protected PrometheusMeterRegistry meters;
    protected SnsClients snsClients;

    @Override
    public void configureTest(TestExecutionConfiguration config) {
        super.configureTest(config);
        // The routes are advised before the context starts; the test starts it.
        config.withUseAdviceWith(true);
    }

    @Override
    public void configureContext(CamelContextConfiguration config) {
        super.configureContext(config);
        config.withUseOverridePropertiesWithPropertiesComponent(relayProperties());
    }

    /** What application.properties would hold for these tests. */
    static Properties relayProperties() {
        Properties p = new Properties();
        p.setProperty("relay.queue.name", QUEUE);
        p.setProperty("relay.queue.dead-letter", DEAD_LETTER_QUEUE);
        p.setProperty("relay.deliver.consumers", "1");
        p.setProperty("relay.deliver.per-message", "true");
        p.setProperty("relay.deliver.max-attempts", String.valueOf(MAX_ATTEMPTS));
        p.setProperty("relay.sns.event-type-attribute", "event_type");
        p.setProperty("relay.ingest.max-depth", "64");

        app(p, APP, APP_TOPIC);
        app(p, BIG_APP, "arn:aws:sns:us-east-1:123456789012:big-events");
        p.setProperty("relay.apps." + BIG_APP + ".max_message_bytes", "1048576");
        app(p, FILTERED_APP, "arn:aws:sns:us-east-1:123456789012:filtered-events");
        p.setProperty("relay.apps." + FILTERED_APP + ".event_types",
                "message.new, message.updated");
        app(p, PAUSED_APP, "arn:aws:sns:us-east-1:123456789012:paused-events");
        p.setProperty("relay.apps." + PAUSED_APP + ".enabled", "false");
        app(p, FIFO_APP, FIFO_TOPIC);
        return p;
    }

    private static void app(Properties p, String app, String topicArn) {
        p.setProperty("relay.apps." + app + ".sns_topic_arn", topicArn);
        p.setProperty("relay.apps." + app + ".sns_auth_type", "keys");
        p.setProperty("relay.apps." + app + ".sns_key", "AKIATESTONLY");
        // Registered so that the suite's final scan proves no route ever logged it.
        p.setProperty("relay.apps." + app + ".sns_secret",
                TestSecrets.register("RouteTestSecret-" + app + "-9f3c1e"));
    }

    /** The YAML files under routes/ this test runs. */
    abstract String[] routeFiles();

    /** Swaps consumers and JMS producers; runs before the context starts. */
    abstract void adviseRoutes() throws Exception;

    @BeforeEach
    void startRelayRoutes() throws Exception {
        bindRelayBeans();
        for (String file : routeFiles()) {
            Resource routes = ResourceHelper.resolveMandatoryResource(context, "file:" + file);
            PluginHelper.getRoutesLoader(context).loadRoutes(routes);
        }
        adviseRoutes();
        context.start();
    }

    @AfterEach
    void closeSnsClients() {
        if (snsClients != null) {
            snsClients.close();
        }
    }

    /** The beans RelayConfiguration binds, under the same names, minus the broker. */
    private void bindRelayBeans() {
        Properties p = relayProperties();
        PropertiesAppSettings apps = PropertiesAppSettings.from(p);
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RelayMetrics metrics = new RelayMetrics(meters, id -> apps.find(id).isPresent());
        snsClients = new SnsClients(context, new SnsClientOptions(Duration.ofSeconds(20),
                Duration.ofSeconds(5), 3, 4, "", "", Duration.ZERO, 100), settings -> sns);
        EventJson json = new EventJson(Integer.parseInt(p.getProperty("relay.ingest.max-depth")));

        context.getRegistry().bind("appSettings", apps);
        context.getRegistry().bind("relayMetrics", metrics);
        context.getRegistry().bind("snsClients", snsClients);
        context.getRegistry().bind("httpIngest", new HttpIngest(apps, json, MAPPER, metrics,
                2_097_152));
        context.getRegistry().bind("delivery", new Delivery(apps, snsClients, json, MAPPER,
                FailureClassifier.defaults(), metrics, MAX_ATTEMPTS,
                p.getProperty("relay.sns.event-type-attribute")));
    }

    /** A sample event from samples/events, as the exact text of the file. */
    static String event(String file) {
        return SampleEvents.named(file).text();
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * A counter as /observe/metrics shows it to an operator, e.g.
     * {@code relay_events_dropped_total{app="demo",reason="oversize"}}; 0 when absent.
     */
    double scraped(String series, String... labels) {
        double total = 0;
        for (String line : meters.scrape().split("\n")) {
            if (!line.startsWith(series + "{")) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i < labels.length; i += 2) {
                matches &= line.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            Matcher value = SAMPLE_VALUE.matcher(line);
            if (matches && value.find()) {
                total += Double.parseDouble(value.group(1));
            }
        }
        return total;
    }
}
