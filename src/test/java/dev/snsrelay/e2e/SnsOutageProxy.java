package dev.snsrelay.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay between sns-relay and the local SNS server that can be cut: while cut, every
 * connection is accepted and reset at once, as when SNS is unreachable, and open connections are
 * dropped. The local SNS server keeps its topics and queues meanwhile.
 */
public final class SnsOutageProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean cut;
    private volatile long latencyMs;

    public SnsOutageProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "sns-outage-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public void cut() {
        cut = true;
        open.forEach(SnsOutageProxy::closeQuietly);
    }

    public void restore() {
        cut = false;
    }

    /** Delays every request chunk by this much, as a slow network would. */
    public void latency(long ms) {
        latencyMs = ms;
    }

    /** Connections reset while cut: proof that the relay kept trying. */
    public int refusedConnections() {
        return refused.get();
    }

    @Override
    public void close() {
        closeQuietly(server);
        open.forEach(SnsOutageProxy::closeQuietly);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    refused.incrementAndGet();
                    client.setSoLinger(true, 0);
                    client.close();
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        targetPort));
                open.add(client);
                open.add(upstream);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                // Closed by close() or a broken connection: the loop condition decides.
            }
        }
    }

    private void pump(Socket from, Socket to, boolean request) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    long delay = latencyMs;
                    if (request && delay > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(delay * 1_000_000);
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // One side went away; closing both ends below ends the other pump too.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "sns-outage-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Already closed.
        }
    }
}
