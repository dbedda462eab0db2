package dev.snsrelay.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.snsrelay.settings.AppSettings;
import dev.snsrelay.settings.Redaction;
import dev.snsrelay.sns.SnsClients;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/**
 * "Test SNS": publishes one small test event with the given settings and reports what SNS said,
 * within a bounded time. The topic's subscribers receive it, with event type sns_relay.check.
 */
public final class SnsCheck {

    public static final String EVENT_TYPE = "sns_relay.check";
    private static final int MAX_ERROR = 400;

    private final SnsClients clients;
    private final ObjectMapper mapper;
    private final Duration timeout;
    private final String eventTypeAttribute;

    public SnsCheck(SnsClients clients, ObjectMapper mapper, Duration timeout,
            String eventTypeAttribute) {
        this.clients = clients;
        this.mapper = mapper;
        this.timeout = timeout;
        this.eventTypeAttribute = eventTypeAttribute == null ? "" : eventTypeAttribute.trim();
    }

    /** {"status":"ok","data":{"message_id":...}} or {"status":"error","error":"..."}. */
    public ObjectNode run(AppSettings settings) {
        ObjectNode event = mapper.createObjectNode();
        event.put("type", EVENT_TYPE);
        event.put("app", settings.appId());
        event.put("message", "sns-relay connection check");
        event.put("created_at", Instant.now().toString());

        PublishRequest.Builder request = PublishRequest.builder()
                .topicArn(settings.topicArn().value())
                .message(event.toString());
        if (!eventTypeAttribute.isEmpty()) {
            request.messageAttributes(Map.of(eventTypeAttribute, MessageAttributeValue.builder()
                    .dataType("String").stringValue(EVENT_TYPE).build()));
        }
        if (settings.topicArn().fifo()) {
            request.messageGroupId("sns-relay-check")
                    .messageDeduplicationId(UUID.randomUUID().toString());
        }

        ObjectNode result = mapper.createObjectNode();
        try (SnsClients.CheckClient check = clients.forCheck(settings, timeout)) {
            PublishResponse response = check.sns().publish(request.build());
            result.put("status", "ok");
            result.putObject("data").put("message_id", response.messageId());
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "HTTP" + e.statusCode()
                    : e.awsErrorDetails().errorCode();
            String text = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorMessage();
            error(result, code + ": " + Redaction.redact(text, settings));
        } catch (ApiCallTimeoutException | ApiCallAttemptTimeoutException e) {
            error(result, "Timeout: no answer from SNS within " + timeout.toMillis() + " ms");
        } catch (SdkClientException e) {
            error(result, "ClientError: " + Redaction.redact(firstLine(e.getMessage()), settings));
        } catch (RuntimeException e) {
            // Credentials that cannot be resolved (role, resource) fail here.
            error(result, e.getClass().getSimpleName() + ": "
                    + Redaction.redact(firstLine(e.getMessage()), settings));
        }
        return result;
    }

    private static void error(ObjectNode result, String message) {
        result.put("status", "error");
        // Credential-chain failures run to pages; the first few hundred characters say it.
        result.put("error", message.length() > MAX_ERROR ? message.substring(0, MAX_ERROR) + "..."
                : message);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
