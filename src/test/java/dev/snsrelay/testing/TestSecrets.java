package dev.snsrelay.testing;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Secrets the tests hand to the relay, and everything the relay answered over HTTP during the
 * suite: NoSecretLeakTest checks that no secret ever shows up in either, or in the log.
 */
public final class TestSecrets {

    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    private static final List<String> ANSWERS = new CopyOnWriteArrayList<>();

    private TestSecrets() {
    }

    /** A fresh secret, registered for the final scan. */
    public static String newSecret(String label) {
        String secret = "Secret" + label + UUID.randomUUID().toString().replace("-", "");
        SECRETS.add(secret);
        return secret;
    }

    /** Registers a value the test chose itself. */
    public static String register(String secret) {
        SECRETS.add(secret);
        return secret;
    }

    /** Records one HTTP answer of the relay (status line, headers and body). */
    public static void recordAnswer(String answer) {
        ANSWERS.add(answer);
    }

    public static Set<String> secrets() {
        return Set.copyOf(SECRETS);
    }

    public static List<String> answers() {
        return List.copyOf(ANSWERS);
    }
}
