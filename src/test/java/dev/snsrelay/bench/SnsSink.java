package dev.snsrelay.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A minimal SNS endpoint for the benchmark: answers Publish and PublishBatch (query protocol)
 * with the XML the AWS SDK expects, and records for every message its arrival time and the
 * send time the load generator embedded in the event. It accepts any topic and any signature.
 *
 * <p>With an upstream (the local SNS server) it forwards each request as is and records the
 * message when the upstream acknowledged it, so the same recording covers both sinks.
 */
public final class SnsSink implements AutoCloseable {

    static final String NS = "http://sns.amazonaws.com/doc/2010-03-31/";
    private static final byte[] SENT_KEY = "bench_sent_at_us".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SEQ_KEY = "bench_seq".getBytes(StandardCharsets.UTF_8);
    // The bench fields sit at the start of the event; the padding after them is never decoded.
    private static final int PREFIX_CHARS = 512;

    static {
        // Without it the JDK server's separate header and body writes meet Nagle's algorithm
        // and the client's delayed ACK: every keep-alive answer would wait about 40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private final URI upstream;
    private final HttpClient forwarder;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong unrecognised = new AtomicLong();
    private volatile Recording recording = new Recording(0);

    private SnsSink(int threads, URI upstream) throws IOException {
        this.upstream = upstream;
        this.forwarder = upstream == null ? null : HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).build();
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(() -> {
                workers.add(Thread.currentThread());
                r.run();
            }, "sns-sink-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** A sink answering every publish itself. */
    public static SnsSink start(int threads) throws IOException {
        return new SnsSink(threads, null);
    }

    /** A recording tap in front of another SNS endpoint (e.g. the local SNS server). */
    public static SnsSink forwardingTo(URI upstream, int threads) throws IOException {
        return new SnsSink(threads, upstream);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Starts a fresh recording with room for {@code capacity} messages; counters restart. */
    public void reset(int capacity) {
        recording = new Recording(capacity);
        requests.set(0);
        messages.set(0);
        unrecognised.set(0);
    }

    public long requests() {
        return requests.get();
    }

    public long messages() {
        return messages.get();
    }

    /** Messages without the benchmark's fields (e.g. a check_sns event), not recorded. */
    public long unrecognised() {
        return unrecognised.get();
    }

    public Recording recording() {
        return recording;
    }

    /** CPU time used so far by the sink's worker threads, to see its share of the 2 cores. */
    public long cpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : workers) {
            long ns = mx.getThreadCpuTime(t.getId());
            sum += Math.max(0, ns);
        }
        return sum;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int status;
        byte[] reply;
        try {
            byte[] body = readAll(exchange.getRequestBody());
            Form form = Form.parse(body);
            String action = form.get("Action");
            status = 200;
            if ("Publish".equals(action)) {
                reply = publishReply();
            } else if ("PublishBatch".equals(action)) {
                reply = batchReply(form);
            } else {
                status = 400;
                reply = error("InvalidAction", "The action " + action + " is not valid");
            }
            if (upstream != null && status == 200) {
                HttpResponse<byte[]> r = forward(exchange, body);
                status = r.statusCode();
                reply = r.body();
            }
            if (status == 200) {
                record(form, "Publish".equals(action));
            }
        } catch (RuntimeException | IOException | InterruptedException e) {
            // A malformed request or an unreachable upstream: answer as SNS would, do not hang.
            status = 500;
            reply = error("InternalFailure", String.valueOf(e));
        }
        requests.incrementAndGet();
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.getResponseHeaders().set("x-amzn-RequestId", uuid());
            exchange.sendResponseHeaders(status, reply.length);
            OutputStream out = exchange.getResponseBody();
            out.write(reply);
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(upstream.resolve(
                exchange.getRequestURI().getRawPath()))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (String h : List.of("Content-Type", "Authorization", "X-Amz-Date")) {
            String v = exchange.getRequestHeaders().getFirst(h);
            if (v != null) {
                b.header(h, v);
            }
        }
        return forwarder.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void record(Form form, boolean single) {
        long now = nowMicros();
        if (single) {
            recordOne(form.raw("Message"), now);
            return;
        }
        for (int i = 1; ; i++) {
            byte[] message = form.raw("PublishBatchRequestEntries.member." + i + ".Message");
            if (message == null) {
                break;
            }
            recordOne(message, now);
        }
    }

    private void recordOne(byte[] encodedMessage, long arrivalMicros) {
        messages.incrementAndGet();
        if (encodedMessage == null) {
            unrecognised.incrementAndGet();
            return;
        }
        byte[] head = Form.decode(encodedMessage, 0, Math.min(encodedMessage.length,
                PREFIX_CHARS));
        long sent = numberAfter(head, SENT_KEY);
        long seq = numberAfter(head, SEQ_KEY);
        if (sent < 0 || seq < 0) {
            unrecognised.incrementAndGet();
            return;
        }
        recording.add(seq, sent, arrivalMicros);
    }

    private static byte[] publishReply() {
        return ("<PublishResponse xmlns=\"" + NS + "\"><PublishResult><MessageId>" + uuid()
                + "</MessageId></PublishResult><ResponseMetadata><RequestId>" + uuid()
                + "</RequestId></ResponseMetadata></PublishResponse>")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] batchReply(Form form) {
        StringBuilder xml = new StringBuilder(256).append("<PublishBatchResponse xmlns=\"")
                .append(NS).append("\"><PublishBatchResult><Successful>");
        for (int i = 1; ; i++) {
            String id = form.get("PublishBatchRequestEntries.member." + i + ".Id");
            if (id == null) {
                break;
            }
            xml.append("<member><Id>").append(escape(id)).append("</Id><MessageId>")
                    .append(uuid()).append("</MessageId></member>");
        }
        xml.append("</Successful><Failed/></PublishBatchResult><ResponseMetadata><RequestId>")
                .append(uuid()).append("</RequestId></ResponseMetadata></PublishBatchResponse>");
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] error(String code, String message) {
        return ("<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type><Code>" + code
                + "</Code><Message>" + escape(message) + "</Message></Error><RequestId>"
                + uuid() + "</RequestId></ErrorResponse>").getBytes(StandardCharsets.UTF_8);
    }

    /** The digits after {@code "key":} in a JSON prefix, or -1. */
    static long numberAfter(byte[] json, byte[] key) {
        outer:
        for (int i = 0; i + key.length + 2 < json.length; i++) {
            if (json[i] != '"') {
                continue;
            }
            for (int k = 0; k < key.length; k++) {
                if (json[i + 1 + k] != key[k]) {
                    continue outer;
                }
            }
            int p = i + 1 + key.length;
            if (json[p] != '"') {
                continue;
            }
            p++;
            while (p < json.length && (json[p] == ' ' || json[p] == ':')) {
                p++;
            }
            long v = 0;
            int digits = 0;
            while (p < json.length && json[p] >= '0' && json[p] <= '9') {
                v = v * 10 + (json[p++] - '0');
                digits++;
            }
            return digits == 0 ? -1 : v;
        }
        return -1;
    }

    // Random UUIDs without SecureRandom: the ids only need to be unique within a run.
    private static String uuid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new UUID(r.nextLong(), r.nextLong()).toString();
    }

    static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        in.transferTo(out);
        return out.toByteArray();
    }

    /**
     * What arrived: one slot per message, filled lock-free. Past its capacity messages are only
     * counted, so a run that overshoots cannot exhaust the benchmark's heap.
     */
    public static final class Recording {
        private final long[] seq;
        private final long[] sentMicros;
        private final long[] arrivalMicros;
        private final AtomicInteger next = new AtomicInteger();

        Recording(int capacity) {
            seq = new long[capacity];
            sentMicros = new long[capacity];
            arrivalMicros = new long[capacity];
        }

        void add(long s, long sent, long arrival) {
            int i = next.getAndIncrement();
            if (i < seq.length) {
                seq[i] = s;
                sentMicros[i] = sent;
                arrivalMicros[i] = arrival;
            }
        }

        /** Messages recorded, capped at the capacity. */
        public int size() {
            return Math.min(next.get(), seq.length);
        }

        public long seq(int i) {
            return seq[i];
        }

        public long sentMicros(int i) {
            return sentMicros[i];
        }

        public long arrivalMicros(int i) {
            return arrivalMicros[i];
        }
    }

    /** A form body split on & and =, values kept encoded until asked for. */
    static final class Form {
        private final List<String> keys = new ArrayList<>();
        private final List<byte[]> values = new ArrayList<>();

        static Form parse(byte[] body) {
            Form f = new Form();
            int start = 0;
            while (start < body.length) {
                int end = start;
                while (end < body.length && body[end] != '&') {
                    end++;
                }
                int eq = start;
                while (eq < end && body[eq] != '=') {
                    eq++;
                }
                f.keys.add(new String(decode(body, start, eq), StandardCharsets.UTF_8));
                byte[] v = new byte[Math.max(0, end - eq - 1)];
                if (v.length > 0) {
                    System.arraycopy(body, eq + 1, v, 0, v.length);
                }
                f.values.add(v);
                start = end + 1;
            }
            return f;
        }

        /** The still-encoded value of a key, or null. */
        byte[] raw(String key) {
            int i = keys.indexOf(key);
            return i < 0 ? null : values.get(i);
        }

        String get(String key) {
            byte[] v = raw(key);
            return v == null ? null : URLDecoder.decode(
                    new String(v, StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        }

        /** Percent-decodes bytes [from, to); a partial escape at the cut end is dropped. */
        static byte[] decode(byte[] in, int from, int to) {
            byte[] out = new byte[to - from];
            int n = 0;
            for (int i = from; i < to; i++) {
                byte b = in[i];
                if (b == '+') {
                    out[n++] = ' ';
                } else if (b == '%') {
                    if (i + 2 >= to) {
                        break;
                    }
                    out[n++] = (byte) Integer.parseInt(new String(in, i + 1, 2,
                            StandardCharsets.ISO_8859_1), 16);
                    i += 2;
                } else {
                    out[n++] = b;
                }
            }
            return java.util.Arrays.copyOf(out, n);
        }
    }
}
