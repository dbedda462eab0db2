package dev.snsrelay.http;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snsrelay.metrics.RelayMetrics;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * A Vert.x handler in front of the ingest route, for two answers the route would give too late
 * or not at all:
 *
 * <ul>
 *   <li>A body whose declared length is over {@code relay.ingest.max-body-bytes} gets the
 *       route's JSON 413 at once. The route would only see it once platform-http had read it
 *       whole into the heap, and a burst of such bodies could run the relay out of memory.</li>
 *   <li>While the relay stops, platform-http answers with an empty 503 (the route suspended) and
 *       then an HTML 404 (the route removed), which a sender may take as final. The gate answers
 *       the route's JSON 503 instead, so senders retry.</li>
 * </ul>
 */
public final class IngestGate {

    /** The ingest route's path, /v1/apps/{app}/events, around the app id. */
    private static final String EVENTS_PREFIX = "/v1/apps/";
    private static final String EVENTS_SUFFIX = "/events";
    /** Before the routes Camel adds, which take Vert.x's default orders from 0 up. */
    private static final int BEFORE_CAMEL = -100;

    private final CamelContext camel;
    private final RelayMetrics metrics;
    private final long maxBodyBytes;
    private final Buffer stopping;
    private final Buffer tooLarge;

    private IngestGate(CamelContext camel, ObjectMapper mapper, RelayMetrics metrics,
            long maxBodyBytes) {
        this.camel = camel;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.stopping = json(mapper, "queue_unavailable",
                "the relay is stopping; retry later with the same X-Webhook-Id");
        this.tooLarge = json(mapper, "body_too_large",
                "the body is over " + maxBodyBytes + " bytes");
    }

    /** Installs the gate on the HTTP server of {@code port}; call once Camel has started. */
    public static void install(CamelContext camel, int port, ObjectMapper mapper,
            RelayMetrics metrics, long maxBodyBytes) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(camel,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            throw new IllegalStateException("no platform-http router for port " + port);
        }
        IngestGate gate = new IngestGate(camel, mapper, metrics, maxBodyBytes);
        // Every path, compared by hand: a Vert.x path with a parameter is a regular expression
        // matched on every request, which cost the relay a few percent of its HTTP throughput.
        router.route().order(BEFORE_CAMEL).handler(gate::handle);
    }

    private void handle(RoutingContext ctx) {
        String path = ctx.request().path();
        if (!isEventsPath(path)) {
            ctx.next();
        } else if (camel.getStatus() != ServiceStatus.Started) {
            ctx.response().putHeader("Retry-After", "5");
            reply(ctx, 503, stopping);
        } else if (declaredOverCap(ctx.request().getHeader("Content-Length"))) {
            metrics.rejected(path.substring(EVENTS_PREFIX.length(),
                    path.length() - EVENTS_SUFFIX.length()), "body_too_large");
            reply(ctx, 413, tooLarge);
        } else {
            ctx.next();
        }
    }

    /** /v1/apps/{app}/events, with one path segment for the app. */
    static boolean isEventsPath(String path) {
        if (path == null || !path.startsWith(EVENTS_PREFIX) || !path.endsWith(EVENTS_SUFFIX)) {
            return false;
        }
        int appEnd = path.length() - EVENTS_SUFFIX.length();
        return appEnd > EVENTS_PREFIX.length()
                && path.indexOf('/', EVENTS_PREFIX.length()) == appEnd;
    }

    private boolean declaredOverCap(String contentLength) {
        if (contentLength == null) {
            return false;
        }
        try {
            return Long.parseLong(contentLength.trim()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            // Not a length: Vert.x refuses the request itself.
            return false;
        }
    }

    private static void reply(RoutingContext ctx, int status, Buffer body) {
        // Whatever of the body is still coming is read and dropped, not kept, so that the
        // connection stays usable and the sender, still writing, gets to read the answer.
        ctx.request().handler(ignored -> { });
        ctx.request().resume();
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body);
    }

    private static Buffer json(ObjectMapper mapper, String code, String message) {
        return Buffer.buffer(JsonReply.error(mapper, code, message, null).toString()
                .getBytes(StandardCharsets.UTF_8));
    }
}
