package dev.snsrelay.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.snsrelay.main.RelayMain;
import dev.snsrelay.testing.TestSecrets;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * sns-relay started the way users start it (camel-main, routes/*.camel.yaml and
 * application.properties from the project folder), with test overrides: free ports, a temporary
 * data folder, short redelivery delays, and the test's apps.
 */
public final class RunningRelay implements AutoCloseable {

    public static final String BROKER_USER = "relay";
    public static final String BROKER_PASSWORD = "e2e-broker-password";

    private final Main main;
    private final int httpPort;
    private final int brokerPort;
    private final HttpClient http = HttpClient.newHttpClient();

    private RunningRelay(Main main, int httpPort, int brokerPort) {
        this.main = main;
        this.httpPort = httpPort;
        this.brokerPort = brokerPort;
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    public static final class Builder {
        private final Map<String, String> props = new LinkedHashMap<>();

        private Builder(Path dataDir) {
            props.put("relay.data-dir", dataDir.toString());
            props.put("relay.broker.password", TestSecrets.register(BROKER_PASSWORD));
            props.put("relay.deliver.redelivery-delay-ms", "100");
            props.put("relay.deliver.redelivery-multiplier", "2.0");
            props.put("relay.deliver.max-redelivery-delay-ms", "1000");
            props.put("relay.deliver.max-attempts", "40");
            props.put("relay.sns.attempt-timeout-ms", "2000");
            props.put("relay.sns.sdk-max-attempts", "1");
        }

        public Builder snsEndpoint(String endpoint) {
            return property("relay.sns.endpoint", endpoint);
        }

        /** An app with static keys (the local SNS server accepts any). */
        public Builder app(String appId, String topicArn) {
            property("relay.apps." + appId + ".sns_topic_arn", topicArn);
            property("relay.apps." + appId + ".sns_auth_type", "keys");
            property("relay.apps." + appId + ".sns_key", "AKIA" + appId.toUpperCase());
            return property("relay.apps." + appId + ".sns_secret",
                    TestSecrets.newSecret(appId.replace("-", "")));
        }

        public Builder property(String key, String value) {
            props.put(key, value);
            return this;
        }

        public RunningRelay start() throws Exception {
            int httpPort = freePort();
            int brokerPort = freePort();
            props.put("camel.server.port", String.valueOf(httpPort));
            props.put("camel.management.port", String.valueOf(httpPort));
            props.put("relay.broker.remote-acceptor", "127.0.0.1:" + brokerPort);
            Main main = RelayMain.create();
            props.forEach(main::addOverrideProperty);
            main.start();
            return new RunningRelay(main, httpPort, brokerPort);
        }
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    public String brokerUrl() {
        return "tcp://127.0.0.1:" + brokerPort;
    }

    public HttpResponse<String> postEvent(String app, byte[] body, String webhookId)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/v1/apps/" + app + "/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (webhookId != null) {
            b.header("X-Webhook-Id", webhookId);
        }
        return send(b);
    }

    /** One event to post: app, body, webhook id (null for none). */
    public record Post(String app, String body, String webhookId) {
    }

    /**
     * Posts many events from 16 threads, as a busy chat backend would, and returns the status
     * of each, in order. Sequential posts would each wait for the journal's disk sync alone.
     */
    public List<Integer> postAll(List<Post> posts) throws Exception {
        ExecutorService pool =
                Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (Post p : posts) {
                results.add(pool.submit(() -> postEvent(p.app(),
                        p.body().getBytes(StandardCharsets.UTF_8),
                        p.webhookId()).statusCode()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (var f : results) {
                statuses.add(f.get());
            }
            return statuses;
        } finally {
            pool.shutdown();
        }
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** Sends a request to the relay; the answer is recorded for the suite's secret scan. */
    public HttpResponse<String> send(HttpRequest.Builder request)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request.timeout(java.time.Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        TestSecrets.recordAnswer(r.statusCode() + " " + r.headers().map() + "\n" + r.body());
        return r;
    }

    /** An admin API call with the given bearer token (null for none) and JSON body. */
    public HttpResponse<String> admin(String method, String path, String token, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(b);
    }

    /** A counter from /observe/metrics, 0 when the series does not exist yet. */
    public double metric(String name, String labels) throws IOException, InterruptedException {
        String text = get("/observe/metrics").body();
        String series = labels.isEmpty() ? name : name + "{" + labels + "}";
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Override
    public void close() {
        main.stop();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
