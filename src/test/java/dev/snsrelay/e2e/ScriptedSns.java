package dev.snsrelay.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An SNS endpoint that speaks the query protocol for Publish and PublishBatch, records every
 * entry it accepted, and fails entries on cue: entries whose message contains "fail-once" fail
 * with InternalError the first time and succeed after; entries containing "reject" always fail
 * with InvalidParameter (sender's fault). Like SNS, it accepts a FIFO entry whose
 * deduplication id it has seen before without delivering it again. It shows what the relay sent,
 * request by request.
 */
public final class ScriptedSns implements AutoCloseable {

    /** One accepted entry. */
    public record Entry(String topicArn, String message, String groupId, int batchSize,
            long batchBytes) {
    }

    private final HttpServer server;
    private final List<Entry> accepted = new CopyOnWriteArrayList<>();
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    private final Set<String> deduplicationIds = ConcurrentHashMap.newKeySet();

    public ScriptedSns() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Entry> accepted() {
        return List.copyOf(accepted);
    }

    /** Entry count of every PublishBatch request received. */
    public List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    private void handle(HttpExchange x) throws IOException {
        Map<String, String> form = parse(new String(x.getRequestBody().readAllBytes(),
                StandardCharsets.UTF_8));
        String action = form.getOrDefault("Action", "");
        String topic = form.get("TopicArn");
        String xml;
        if (action.equals("Publish")) {
            String message = form.get("Message");
            accepted.add(new Entry(topic, message, form.get("MessageGroupId"), 1,
                    message.getBytes(StandardCharsets.UTF_8).length));
            xml = "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                    + "<PublishResult><MessageId>" + UUID.randomUUID() + "</MessageId>"
                    + "</PublishResult>" + metadata() + "</PublishResponse>";
        } else if (action.equals("PublishBatch")) {
            xml = batch(form, topic);
        } else {
            xml = null;
        }
        byte[] body = (xml == null ? "<ErrorResponse/>" : xml).getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "text/xml");
        x.sendResponseHeaders(xml == null ? 400 : 200, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    private String batch(Map<String, String> form, String topic) {
        Map<Integer, Map<String, String>> entries = new TreeMap<>();
        String prefix = "PublishBatchRequestEntries.member.";
        for (Map.Entry<String, String> f : form.entrySet()) {
            if (f.getKey().startsWith(prefix)) {
                String rest = f.getKey().substring(prefix.length());
                int dot = rest.indexOf('.');
                entries.computeIfAbsent(Integer.parseInt(rest.substring(0, dot)),
                        k -> new HashMap<>()).put(rest.substring(dot + 1), f.getValue());
            }
        }
        batchSizes.add(entries.size());
        long bytes = entries.values().stream()
                .mapToLong(e -> e.get("Message").getBytes(StandardCharsets.UTF_8).length).sum();
        StringBuilder ok = new StringBuilder();
        StringBuilder failed = new StringBuilder();
        List<Entry> now = new ArrayList<>();
        for (Map<String, String> e : entries.values()) {
            String message = e.get("Message");
            String id = e.get("Id");
            if (message.contains("reject")) {
                failed.append("<member><Id>").append(id).append("</Id><Code>InvalidParameter"
                        + "</Code><Message>Invalid parameter: scripted</Message>"
                        + "<SenderFault>true</SenderFault></member>");
            } else if (message.contains("fail-once") && failedOnce.add(message)) {
                failed.append("<member><Id>").append(id).append("</Id><Code>InternalError"
                        + "</Code><Message>scripted failure</Message>"
                        + "<SenderFault>false</SenderFault></member>");
            } else {
                String dedup = e.get("MessageDeduplicationId");
                if (dedup == null || deduplicationIds.add(topic + " " + dedup)) {
                    now.add(new Entry(topic, message, e.get("MessageGroupId"), entries.size(),
                            bytes));
                }
                ok.append("<member><Id>").append(id).append("</Id><MessageId>")
                        .append(UUID.randomUUID()).append("</MessageId></member>");
            }
        }
        accepted.addAll(now);
        return "<PublishBatchResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                + "<PublishBatchResult><Successful>" + ok + "</Successful><Failed>" + failed
                + "</Failed></PublishBatchResult>" + metadata() + "</PublishBatchResponse>";
    }

    private static String metadata() {
        return "<ResponseMetadata><RequestId>" + UUID.randomUUID()
                + "</RequestId></ResponseMetadata>";
    }

    private static Map<String, String> parse(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
