package dev.snsrelay.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An STS endpoint that answers AssumeRole (query protocol) with the credentials a test chooses
 * for the n-th call, and records each request's parameters.
 */
public final class StsStub implements AutoCloseable {

    /** What one AssumeRole call hands out. */
    public record Issued(String accessKey, String secretKey, Instant expiration) {
    }

    private final HttpServer server;
    private final IntFunction<Issued> issue;
    private final List<Map<String, String>> calls = new CopyOnWriteArrayList<>();

    public StsStub(IntFunction<Issued> issue) throws IOException {
        this.issue = issue;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Map<String, String>> calls() {
        return List.copyOf(calls);
    }

    private void handle(HttpExchange x) throws IOException {
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(x.getRequestBody().readAllBytes(),
                StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        calls.add(form);
        Issued c = issue.apply(calls.size());
        String xml = "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                + "<AssumeRoleResult><Credentials><AccessKeyId>" + c.accessKey()
                + "</AccessKeyId><SecretAccessKey>" + c.secretKey() + "</SecretAccessKey>"
                + "<SessionToken>session-" + UUID.randomUUID() + "</SessionToken><Expiration>"
                + c.expiration() + "</Expiration></Credentials><AssumedRoleUser><Arn>"
                + "arn:aws:sts::123456789012:assumed-role/publisher/sns-relay</Arn>"
                + "<AssumedRoleId>AROAEXAMPLE:sns-relay</AssumedRoleId></AssumedRoleUser>"
                + "</AssumeRoleResult><ResponseMetadata><RequestId>" + UUID.randomUUID()
                + "</RequestId></ResponseMetadata></AssumeRoleResponse>";
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "text/xml");
        x.sendResponseHeaders(200, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
