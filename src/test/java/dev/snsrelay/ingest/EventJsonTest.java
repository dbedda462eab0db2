package dev.snsrelay.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;

import dev.snsrelay.e2e.SampleEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventJsonTest {

    private final EventJson json = new EventJson(64);

    @ParameterizedTest
    @CsvSource({
        "001-message.new.json, message.new, messaging:orbit-team-4f1c",
        "018-channel.muted.json, channel.muted, ",
        "066-message.new.json, message.new, team:support-desk-7c1d",
        "069-message.new.json, message.new, messaging:orbit-team-4f1c",
        "071-ai_summary.ready.json, ai_summary.ready, messaging:orbit-team-4f1c"})
    void sample_events_are_accepted_with_their_type_and_channel(String file, String type,
            String channel) throws IOException {
        EventJson.Summary summary = json.inspect(sample(file));

        assertThat(summary.type()).isEqualTo(type);
        assertThat(summary.channel()).isEqualTo(channel);
    }

    @Test
    void type_and_cid_are_read_from_the_top_level_only() {
        String body = "{\"message\":{\"type\":\"regular\",\"cid\":\"nested:x\"},"
                + "\"type\":\"message.new\",\"user\":{\"type\":\"admin\"},\"cid\":\"messaging:a\"}";

        EventJson.Summary summary = json.inspect(body);

        assertThat(summary.type()).isEqualTo("message.new");
        assertThat(summary.channel()).isEqualTo("messaging:a");
    }

    @Test
    void type_or_cid_that_is_not_a_string_is_ignored_and_the_rest_still_checked() {
        assertThat(json.inspect("{\"type\":{\"type\":\"x\"},\"cid\":[\"a\",{\"b\":1}],\"n\":1}"))
                .isEqualTo(new EventJson.Summary(null, null));
        assertThat(json.inspect("{\"type\":42,\"cid\":null}"))
                .isEqualTo(new EventJson.Summary(null, null));
        assertThatThrownBy(() -> json.inspect("{\"type\":{\"a\":1},\"b\":}"))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.code()).isEqualTo("invalid_json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\":1} {\"b\":2}",
        "{\"a\":1} trailing",
        "{\"a\":1",
        "{'a':1}",
        "{a:1}",
        "{\"a\":1,}",
        "{\"a\":01}",
        "{\"a\":NaN}",
        "{\"a\":+1}",
        "{\"a\":.5}",
        "{\"a\":\"bad \\x escape\"}",
        "{\"a\":\"raw\ttab\"}",
        "{\"a\":1} // comment",
        "{\"type\":\"message.new\",\"text\":\"unterminated}"})
    void malformed_json_is_invalid_json(String body) {
        assertRejected(body, "invalid_json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"type\":\"message.new\"}]", "\"text\"", "42", "true",
        "null"})
    void json_that_is_not_an_object_is_not_an_object(String body) {
        assertRejected(body, "not_an_object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t "})
    void blank_body_is_empty_body(String body) {
        assertRejected(body, "empty_body");
    }

    @Test
    void nesting_up_to_the_limit_is_accepted_and_deeper_is_too_deep() {
        assertThat(json.inspect(nested(64)).type()).isNull();
        assertRejected(nested(65), "too_deep");
    }

    @Test
    void numbers_of_any_length_are_accepted() {
        String body = "{\"big\":" + "9".repeat(5_000) + ",\"f\":1." + "0".repeat(5_000) + "}";

        assertThat(json.inspect(body)).isEqualTo(new EventJson.Summary(null, null));
    }

    @Test
    void strict_utf8_decoding_keeps_every_valid_character() {
        String text = "{\"t\":\"é 界 😀 \u2028\"}";

        assertThat(EventJson.decodeUtf8(text.getBytes(UTF_8))).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"80", "C0AF", "E0808F", "EDA080", "E795", "F4908080", "FF"})
    void malformed_utf8_is_invalid_utf8_not_replaced(String hex) {
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        byte[] body = new byte[bad.length + 2];
        body[0] = '{';
        System.arraycopy(bad, 0, body, 1, bad.length);
        body[body.length - 1] = '}';

        assertThatThrownBy(() -> EventJson.decodeUtf8(body))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.code()).isEqualTo("invalid_utf8"));
    }

    private void assertRejected(String body, String code) {
        assertThatThrownBy(() -> json.inspect(body))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.code()).isEqualTo(code));
    }

    /** An object whose nesting depth is {@code depth}, counting the outer object as 1. */
    private static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    private static String sample(String file) {
        return SampleEvents.named(file).text();
    }
}
