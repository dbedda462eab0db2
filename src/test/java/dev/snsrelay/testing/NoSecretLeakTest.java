package dev.snsrelay.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test class of the suite (see junit-platform.properties) and checks that
 * no secret handed to a relay (app secrets, admin token, broker password) appears in anything it
 * logged or answered over HTTP during the whole suite.
 */
@Order(Integer.MAX_VALUE)
class NoSecretLeakTest {

    private static final Path SUITE_LOG = Path.of("target/test-logs/suite.log");

    @Test
    void no_secret_appears_in_the_suite_log_or_in_any_http_answer() throws Exception {
        List<String> secrets = List.copyOf(TestSecrets.secrets());
        String log = Files.exists(SUITE_LOG) ? Files.readString(SUITE_LOG) : "";

        for (String secret : secrets) {
            assertThat(log.contains(secret)).as("a secret appears in %s", SUITE_LOG).isFalse();
        }
        for (String answer : TestSecrets.answers()) {
            for (String secret : secrets) {
                assertThat(answer.contains(secret))
                        .as("a secret appears in an HTTP answer: %s", head(answer)).isFalse();
            }
        }
    }

    private static String head(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
