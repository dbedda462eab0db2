package dev.snsrelay.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts events to {@code /v1/apps/{app}/events} over {@code connections} kept-alive HTTP/1.1
 * connections, one request at a time on each, apps in turn. Each event carries a unique
 * X-Webhook-Id, as a webhook sender's would, so the relay's duplicate detection is part of what
 * is measured.
 *
 * <p>A chat backend sends from its own hosts; here the sender shares the relay's two cores, so
 * it writes each request as one prepared byte array on a plain socket and reads no more of the
 * answer than its status and length. A general-purpose client (the JDK's took about 0.8 ms of
 * CPU per request) would take a third of the machine from the relay it measures.
 */
final class HttpLoad implements Load {

    private static final int READ_TIMEOUT_MS = 60_000;

    private final URI base;
    private final List<String> apps;
    private final EventTemplate events;
    private final int connections;
    private final String runTag;

    HttpLoad(URI base, List<String> apps, EventTemplate events, int connections,
            String runTag) {
        this.base = base;
        this.apps = apps;
        this.events = events;
        this.connections = connections;
        this.runTag = runTag;
    }

    @Override
    public LoadResult run(Plan plan) throws InterruptedException {
        LoadCounters c = new LoadCounters();
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + plan.maxTime().toNanos();
        // Every read has a timeout, so the last requests end within it.
        Senders.run(connections, "bench-http", deadline, READ_TIMEOUT_MS + 30_000, c,
                () -> send(plan, c, next, start, deadline));
        return c.result();
    }

    /** One connection's loop: the next event, its request, its answer; reconnects on error. */
    private void send(Plan plan, LoadCounters c, AtomicLong next, long start, long deadline) {
        Connection conn = null;
        try {
            for (long i = next.getAndIncrement(); i < plan.maxEvents()
                    && plan.awaitTurn(i, c.sent.get(), start, deadline);
                    i = next.getAndIncrement()) {
                long seq = plan.firstSeq() + i;
                String app = apps.get((int) (seq % apps.size()));
                long sentAt = SnsSink.nowMicros();
                byte[] request = request(app, runTag + "-" + seq, events.render(seq, sentAt));
                c.sending(sentAt);
                try {
                    if (conn == null) {
                        conn = new Connection(base);
                    }
                    int status = conn.exchange(request);
                    if (status == 202) {
                        c.accepted();
                    } else {
                        c.failed("HTTP " + status);
                    }
                    if (!conn.keepAlive) {
                        conn.close();
                        conn = null;
                    }
                } catch (IOException | RuntimeException e) {
                    // RuntimeException: an answer the parser could not read.
                    c.failed(e.toString());
                    if (conn != null) {
                        conn.close();
                        conn = null;
                    }
                }
            }
        } finally {
            if (conn != null) {
                conn.close();
            }
        }
    }

    private byte[] request(String app, String webhookId, byte[] body) {
        byte[] head = ("POST /v1/apps/" + app + "/events HTTP/1.1\r\n"
                + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + "Content-Type: application/json\r\n"
                + "X-Webhook-Id: " + webhookId + "\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    /** A kept-alive connection that sends a request and reads its status line and body. */
    private static final class Connection {

        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] buffer = new byte[8192];
        private int filled;
        boolean keepAlive = true;

        Connection(URI base) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        }

        /** Sends the request and returns the answer's status once its body has been read. */
        int exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            int headEnd;
            while ((headEnd = indexOfBlankLine()) < 0) {
                fill();
            }
            String head = new String(buffer, 0, headEnd, StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(head.substring(9, 12));
            long length = 0;
            boolean chunked = false;
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("content-length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("connection")
                        && value.equalsIgnoreCase("close")) {
                    keepAlive = false;
                } else if (name.equalsIgnoreCase("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                }
            }
            consume(headEnd + 4);
            if (!chunked) {
                skip(length);
                return status;
            }
            // Chunks: a hex size line, that many bytes and CRLF; a size of 0 and a blank line
            // (no trailers from the relay) end the body.
            while (true) {
                long size = Long.parseLong(line().split(";")[0].trim(), 16);
                if (size == 0) {
                    line();
                    return status;
                }
                skip(size + 2);
            }
        }

        private void skip(long length) throws IOException {
            while (length > 0) {
                if (filled == 0) {
                    fill();
                }
                int n = (int) Math.min(length, filled);
                consume(n);
                length -= n;
            }
        }

        /** The next line of the answer, without its CRLF. */
        private String line() throws IOException {
            while (true) {
                for (int i = 0; i + 1 < filled; i++) {
                    if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                        String line = new String(buffer, 0, i, StandardCharsets.ISO_8859_1);
                        consume(i + 2);
                        return line;
                    }
                }
                fill();
            }
        }

        private int indexOfBlankLine() {
            for (int i = 0; i + 3 < filled; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r'
                        && buffer[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private void fill() throws IOException {
            if (filled == buffer.length) {
                throw new IOException("answer head larger than " + buffer.length + " bytes");
            }
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                throw new IOException("the relay closed the connection");
            }
            filled += n;
        }

        private void consume(int n) {
            System.arraycopy(buffer, n, buffer, 0, filled - n);
            filled -= n;
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // Nothing more to read or send on it.
            }
        }
    }
}
