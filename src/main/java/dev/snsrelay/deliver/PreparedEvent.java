package dev.snsrelay.deliver;

import java.util.Map;

/**
 * One event ready to publish: the exact message text, the attributes the relay chose, and where
 * it goes.
 *
 * @param size            its publish size under the size rule
 * @param clientBean      registry name of the app's SnsClient
 * @param maxMessageBytes the app's limit, which also caps a whole PublishBatch
 * @param groupId         FIFO message group, null for standard topics
 * @param deduplicationId FIFO deduplication id, stable across redeliveries; null for standard
 */
public record PreparedEvent(
        String appId,
        String eventId,
        String type,
        String message,
        Map<String, String> attributes,
        long size,
        String topicArn,
        String clientBean,
        int maxMessageBytes,
        boolean fifo,
        String groupId,
        String deduplicationId) {
}
