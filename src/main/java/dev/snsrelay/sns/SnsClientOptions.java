package dev.snsrelay.sns;

import java.time.Duration;

/**
 * Settings shared by every app's SNS client.
 *
 * @param apiCallTimeout    the whole publish, SDK retries included
 * @param attemptTimeout    one HTTP attempt; an endpoint that never answers fails after this
 * @param sdkMaxAttempts    attempts inside the SDK before the broker's redelivery takes over
 * @param maxConnections    HTTP connections shared by all apps' clients
 * @param stsEndpoint       STS endpoint override for the role auth type; blank for AWS
 * @param defaultEndpoint   SNS endpoint for apps that name none; blank for AWS
 * @param idleTimeout       a client unused this long is closed (a new one is made when the
 *                          app sends again), so 10,000 quiet apps hold no clients; zero keeps
 *                          clients until their settings change
 * @param maxClients        most clients open at once; past it the least recently used one is
 *                          closed, so that even 10,000 apps all sending hold a bounded number
 */
public record SnsClientOptions(
        Duration apiCallTimeout,
        Duration attemptTimeout,
        int sdkMaxAttempts,
        int maxConnections,
        String stsEndpoint,
        String defaultEndpoint,
        Duration idleTimeout,
        int maxClients) {
}
