package dev.snsrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sns.model.SnsException;

/** The benchmark's SNS sink speaks well enough for the real AWS SDK to parse its answers. */
class SnsSinkTest {

    private static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:bench";

    private SnsSink sink;
    private SnsClient sns;

    @BeforeEach
    void start() throws Exception {
        sink = SnsSink.start(2);
        sink.reset(100);
        sns = SnsClient.builder().endpointOverride(URI.create(sink.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIABENCH", "bench-secret")))
                .build();
    }

    @AfterEach
    void stop() {
        sns.close();
        sink.close();
    }

    @Test
    void publish_answer_is_parsed_by_the_sdk_and_the_message_is_recorded() {
        PublishResponse r = sns.publish(b -> b.topicArn(TOPIC)
                .message(event(7, 1_700_000_000_123_456L))
                .messageAttributes(Map.of("event_type", MessageAttributeValue.builder()
                        .dataType("String").stringValue("message.new").build())));

        assertThat(r.messageId()).isNotBlank();
        assertThat(r.responseMetadata().requestId()).isNotBlank();
        assertThat(sink.requests()).isEqualTo(1);
        assertThat(sink.messages()).isEqualTo(1);
        assertThat(sink.recording().size()).isEqualTo(1);
        assertThat(sink.recording().seq(0)).isEqualTo(7);
        assertThat(sink.recording().sentMicros(0)).isEqualTo(1_700_000_000_123_456L);
    }

    @Test
    void publish_batch_answer_lists_every_entry_as_successful() {
        var entries = List.of(
                PublishBatchRequestEntry.builder().id("a").message(event(1, 10)).build(),
                PublishBatchRequestEntry.builder().id("b").message(event(2, 20)).build(),
                PublishBatchRequestEntry.builder().id("c").message(event(3, 30)).build());

        PublishBatchResponse r = sns.publishBatch(b -> b.topicArn(TOPIC)
                .publishBatchRequestEntries(entries));

        assertThat(r.successful()).extracting(e -> e.id()).containsExactly("a", "b", "c");
        assertThat(r.successful()).allSatisfy(e -> assertThat(e.messageId()).isNotBlank());
        assertThat(r.failed()).isEmpty();
        assertThat(sink.requests()).isEqualTo(1);
        assertThat(sink.messages()).isEqualTo(3);
        assertThat(sink.recording().size()).isEqualTo(3);
    }

    @Test
    void other_actions_get_an_sns_error_the_sdk_understands() {
        assertThatThrownBy(() -> sns.listTopics())
                .isInstanceOfSatisfying(SnsException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAction"));
    }

    @Test
    void events_without_benchmark_fields_are_counted_but_not_recorded() {
        sns.publish(b -> b.topicArn(TOPIC).message("{\"type\":\"sns_relay.check\"}"));

        assertThat(sink.messages()).isEqualTo(1);
        assertThat(sink.unrecognised()).isEqualTo(1);
        assertThat(sink.recording().size()).isZero();
    }

    @Test
    void benchmark_events_are_valid_json_of_the_requested_size() throws Exception {
        EventTemplate t = new EventTemplate(16 * 1024);
        byte[] body = t.render(123, 1_700_000_000_000_001L);

        assertThat(body).hasSize(16 * 1024);
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        assertThat(node.get("type").asText()).isEqualTo("message.new");
        assertThat(node.get("bench_seq").asLong()).isEqualTo(123);
        assertThat(SnsSink.numberAfter(body, "bench_sent_at_us"
                .getBytes(StandardCharsets.UTF_8))).isEqualTo(1_700_000_000_000_001L);
    }

    private static String event(long seq, long sentMicros) {
        return new String(new EventTemplate(1024).render(seq, sentMicros),
                StandardCharsets.UTF_8);
    }
}
