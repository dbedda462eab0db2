package dev.snsrelay.secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A secret the relay makes itself when none is configured (the admin token, the broker
 * password): random, written once to a file only its owner can read, read back on later starts.
 */
public final class GeneratedSecret {

    private GeneratedSecret() {
    }

    /** The secret in {@code file}; a new one of {@code bytes} random bytes if there is none. */
    public static Result readOrCreate(Path file, int bytes) throws IOException {
        if (Files.exists(file)) {
            return new Result(Files.readString(file).trim(), false);
        }
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        String generated = HexFormat.of().formatHex(random);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, generated);
        return new Result(generated, true);
    }

    /** @param created whether it was made just now */
    public record Result(String value, boolean created) {
        @Override
        public String toString() {
            return "GeneratedSecret[created=" + created + "]";
        }
    }
}
