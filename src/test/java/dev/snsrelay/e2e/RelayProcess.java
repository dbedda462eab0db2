package dev.snsrelay.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.snsrelay.testing.TestSecrets;

/**
 * sns-relay in a process of its own, started from the project folder as users start it, so that
 * tests can kill it (SIGKILL) or stop it (SIGTERM) and start it again on the same data folder.
 * Its output goes to target/test-logs/, which the suite's secret scan reads.
 */
public final class RelayProcess implements AutoCloseable {

    private static int started;

    private final Map<String, String> properties;
    private final List<String> jvmOptions = new ArrayList<>();
    private final int httpPort;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;
    private Path log;

    public RelayProcess(Path dataDir, String snsEndpoint) throws IOException {
        this.httpPort = RunningRelay.freePort();
        this.properties = new LinkedHashMap<>();
        properties.put("relay.data-dir", dataDir.toString());
        properties.put("relay.sns.endpoint", snsEndpoint);
        properties.put("camel.server.port", String.valueOf(httpPort));
        properties.put("camel.management.port", String.valueOf(httpPort));
        properties.put("relay.broker.remote-acceptor", "127.0.0.1:" + RunningRelay.freePort());
        properties.put("relay.broker.password", TestSecrets.register(
                RunningRelay.BROKER_PASSWORD));
        properties.put("relay.deliver.redelivery-delay-ms", "100");
        properties.put("relay.deliver.max-redelivery-delay-ms", "1000");
        properties.put("relay.deliver.max-attempts", "100");
        properties.put("relay.sns.attempt-timeout-ms", "2000");
        properties.put("relay.sns.sdk-max-attempts", "1");
    }

    public RelayProcess app(String appId, String topicArn) {
        properties.put("relay.apps." + appId + ".sns_topic_arn", topicArn);
        properties.put("relay.apps." + appId + ".sns_auth_type", "keys");
        properties.put("relay.apps." + appId + ".sns_key", "AKIA" + appId.toUpperCase());
        properties.put("relay.apps." + appId + ".sns_secret",
                TestSecrets.newSecret(appId.replace("-", "")));
        return this;
    }

    /** Any other -D override, e.g. a setting a benchmark varies. */
    public RelayProcess property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** A JVM option for the relay's process, e.g. a Flight Recorder set-up for a benchmark. */
    public RelayProcess jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** Starts the relay and waits until its health check says UP. */
    public RelayProcess start() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-Daws.disableEc2Metadata=true");
        // The relay's own logging setup, not the test one (which writes the suite log).
        cmd.add("-Dlogback.configurationFile="
                + Path.of("src/main/resources/logback.xml").toAbsolutePath());
        cmd.addAll(jvmOptions);
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.snsrelay.main.RelayMain");
        Path logs = Path.of("target/test-logs");
        Files.createDirectories(logs);
        synchronized (RelayProcess.class) {
            log = logs.resolve("relay-process-" + (++started) + ".log");
        }
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(this::healthy);
        return this;
    }

    /** The relay's process id, to read its memory and CPU from /proc. */
    public long pid() {
        return process.pid();
    }

    /** Where producers in other processes reach the embedded broker. */
    public String brokerUrl() {
        return "tcp://" + properties.get("relay.broker.remote-acceptor");
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    public HttpResponse<String> postEvent(String app, String body, String webhookId)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        uri("/v1/apps/" + app + "/events"))
                .header("Content-Type", "application/json").header("X-Webhook-Id", webhookId)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        TestSecrets.recordAnswer(r.statusCode() + "\n" + r.body());
        return r;
    }

    /** Posts from 16 threads and returns each status, in order. */
    public List<Integer> postAll(List<RunningRelay.Post> posts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (RunningRelay.Post p : posts) {
                results.add(pool.submit(() -> postEvent(p.app(), p.body(), p.webhookId())
                        .statusCode()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) {
                statuses.add(f.get());
            }
            return statuses;
        } finally {
            pool.shutdown();
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed on purpose. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the process to end; returns its exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("relay did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    private boolean healthy() {
        if (!process.isAlive()) {
            throw new IllegalStateException("relay exited during start-up; see " + log);
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/observe/health"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("UP");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
