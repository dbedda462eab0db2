package dev.snsrelay.ingest;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** X-Signature: the hex HMAC-SHA256 of the uncompressed body with the app's ingest secret. */
public final class Signatures {

    private Signatures() {
    }

    public static String sign(byte[] body, String secret) {
        return HexFormat.of().formatHex(hmac(body, secret));
    }

    /** Whether the header matches the body; compared in constant time, hex case ignored. */
    public static boolean verify(byte[] body, String secret, String header) {
        if (header == null) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.trim().toLowerCase());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmac(body, secret), given);
    }

    private static byte[] hmac(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
