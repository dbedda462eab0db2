package dev.snsrelay.sns;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.snsrelay.e2e.SampleEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublishSizeTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "plain ascii", "é ß ñ", "界中文",
        "😀 \uD83D\uDC69\u200D\uD83D\uDC67 \uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08",
        "mixed a é 界 😀 \u2028 \u0000 \uFEFF"})
    void text_is_measured_in_utf8_bytes(String text) {
        assertThat(PublishSize.utf8Length(text)).isEqualTo(text.getBytes(UTF_8).length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"001-message.new.json", "064-message.new.json",
        "069-message.new.json", "090-message.new-262100B.json"})
    void sample_events_are_measured_as_their_file_size(String file) throws IOException {
        byte[] bytes = sample(file);

        assertThat(PublishSize.of(new String(bytes, UTF_8), Map.of())).isEqualTo(bytes.length);
    }

    @Test
    void each_attribute_adds_its_name_its_data_type_and_its_value() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("event_type", "message.new");
        attributes.put("région", "界");

        long size = PublishSize.of("{}", attributes);

        assertThat(size).isEqualTo(2 + (10 + 6 + 11) + (7 + 6 + 3));
    }

    @Test
    void unpaired_surrogate_counts_as_three_bytes_which_never_underestimates() {
        // Java encodes a lone surrogate as one '?' byte; counting 3 errs on the safe side.
        String lone = "a\uD83Db";

        assertThat(PublishSize.utf8Length(lone)).isEqualTo(5);
        assertThat(PublishSize.utf8Length(lone))
                .isGreaterThanOrEqualTo(lone.getBytes(UTF_8).length);
    }

    @Test
    void samples_090_and_091_straddle_the_sns_limit_with_the_event_type_attribute()
            throws IOException {
        Map<String, String> attribute = Map.of("event_type", "message.new");

        long under = PublishSize.of(new String(sample("090-message.new-262100B.json"), UTF_8),
                attribute);
        long over = PublishSize.of(new String(sample("091-message.new-262200B.json"), UTF_8),
                attribute);

        assertThat(under).isEqualTo(262_100 + 27).isLessThanOrEqualTo(262_144);
        assertThat(over).isEqualTo(262_200 + 27).isGreaterThan(262_144);
    }

    private static byte[] sample(String file) {
        return SampleEvents.named(file).bytes();
    }
}
