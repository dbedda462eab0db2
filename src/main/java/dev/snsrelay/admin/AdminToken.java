package dev.snsrelay.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;

import dev.snsrelay.secrets.GeneratedSecret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token every admin call needs. From RELAY_ADMIN_TOKEN when set; otherwise generated
 * at first start into data/admin-token, readable by its owner only. Only the file's path is ever
 * logged.
 */
public final class AdminToken {

    private static final Logger LOG = LoggerFactory.getLogger(AdminToken.class);

    private final byte[] token;

    private AdminToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    public static AdminToken resolve(String configured, Path dataDir) throws IOException {
        if (configured != null && !configured.isBlank()) {
            LOG.info("Admin API token taken from RELAY_ADMIN_TOKEN");
            return new AdminToken(configured.trim());
        }
        Path file = dataDir.resolve("admin-token");
        GeneratedSecret.Result secret = GeneratedSecret.readOrCreate(file, 32);
        if (secret.created()) {
            LOG.info("Admin API token generated at first start: read it from {}",
                    file.toAbsolutePath());
        } else {
            LOG.info("Admin API token: the one in {}", file.toAbsolutePath());
        }
        return new AdminToken(secret.value());
    }

    /** Whether an Authorization header carries this token; compared in constant time. */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, given);
    }
}
