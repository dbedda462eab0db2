package dev.snsrelay.sns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

class FormBodyTest {

    @Test
    void encodes_a_form_to_the_same_bytes_as_the_aws_sdk() {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("Action", List.of("PublishBatch"));
        form.put("TopicArn", List.of("arn:aws:sns:us-east-1:123456789012:chat-events"));
        form.put("PublishBatchRequestEntries.member.1.Message", List.of(
                "{\"type\":\"message.new\",\"text\":\"h\u00e9llo w\u00f6rld \ud83d\ude00 ~!*'()_.-\"}"));
        form.put("Empty", List.of(""));
        form.put("Flag", Arrays.asList((String) null));
        form.put("Twice", List.of("a b", "c+d&e=f"));
        form.put("NoValues", List.of());
        form.put("k\u00eay with spaces", List.of("\u0000\u007f\u0080\u07ff\u0800\uffff"));

        assertThat(new String(FormBody.encode(form), StandardCharsets.UTF_8))
                .isEqualTo(SdkHttpUtils.encodeAndFlattenFormData(form).orElseThrow());
    }

    @Test
    void random_text_encodes_as_the_aws_sdk_encodes_it() {
        Random random = new Random(20261204);
        for (int round = 0; round < 2_000; round++) {
            Map<String, List<String>> form = new LinkedHashMap<>();
            for (int p = 0; p < 1 + random.nextInt(4); p++) {
                List<String> values = new ArrayList<>();
                for (int v = 0; v < 1 + random.nextInt(3); v++) {
                    values.add(randomText(random));
                }
                form.put(randomText(random) + p, values);
            }
            assertThat(new String(FormBody.encode(form), StandardCharsets.UTF_8))
                    .as("round %d", round)
                    .isEqualTo(SdkHttpUtils.encodeAndFlattenFormData(form).orElseThrow());
        }
    }

    @Test
    void an_unpaired_surrogate_is_encoded_as_the_aws_sdk_encodes_it() {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("Message", List.of("a\ud800b\udc00c\ud83d"));

        assertThat(new String(FormBody.encode(form), StandardCharsets.UTF_8))
                .isEqualTo(SdkHttpUtils.encodeAndFlattenFormData(form).orElseThrow());
    }

    /** JSON-like text: ASCII punctuation, Latin-1, CJK, emoji, now and then a lone surrogate. */
    private static String randomText(Random random) {
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(40); i > 0; i--) {
            switch (random.nextInt(6)) {
                case 0, 1 -> b.append((char) (0x20 + random.nextInt(0x5f)));
                case 2 -> b.append((char) random.nextInt(0x100));
                case 3 -> b.append((char) (0x4e00 + random.nextInt(0x5000)));
                case 4 -> b.appendCodePoint(0x1f300 + random.nextInt(0x300));
                default -> b.append(random.nextInt(20) == 0
                        ? (char) (0xd800 + random.nextInt(0x800)) : 'x');
            }
        }
        return b.toString();
    }
}
