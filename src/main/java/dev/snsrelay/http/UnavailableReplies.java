package dev.snsrelay.http;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * While the relay stops, platform-http answers the events path with an empty 503 (the route
 * suspended) and then an HTML 404 (the route removed), and a sender may well take a 404 as
 * final. A handler in front of the ingest route answers such requests with the JSON 503 the
 * route itself gives when the queue is unavailable, so senders retry.
 */
public final class UnavailableReplies {

    /** The ingest route's path in Vert.x's syntax. */
    static final String EVENTS_PATH = "/v1/apps/:app/events";
    /** Before the routes Camel adds, which take Vert.x's default orders from 0 up. */
    private static final int BEFORE_CAMEL = -100;

    private UnavailableReplies() {
    }

    /** Installs the handler on the HTTP server of {@code port}; call once Camel has started. */
    public static void install(CamelContext camel, int port, ObjectMapper mapper) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(camel,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            throw new IllegalStateException("no platform-http router for port " + port);
        }
        Buffer body = Buffer.buffer(JsonReply.error(mapper, "queue_unavailable",
                "the relay is stopping; retry later with the same X-Webhook-Id", null)
                .toString().getBytes(StandardCharsets.UTF_8));
        router.route(EVENTS_PATH).order(BEFORE_CAMEL).handler(ctx -> {
            if (camel.getStatus() == ServiceStatus.Started) {
                ctx.next();
                return;
            }
            ctx.response().setStatusCode(503)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Retry-After", "5")
                    .end(body);
        });
    }
}
