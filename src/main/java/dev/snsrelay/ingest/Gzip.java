package dev.snsrelay.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Decodes a gzip body with a cap on the decoded size, so a decompression bomb stops early. */
public final class Gzip {

    private Gzip() {
    }

    /** Thrown when the decoded body would exceed the cap. */
    public static final class TooLargeException extends Exception {
        public TooLargeException() {
            super(null, null, false, false);
        }
    }

    public static byte[] decode(byte[] compressed, int maxDecoded)
            throws IOException, TooLargeException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(
                    Math.min(maxDecoded, Math.max(1024, compressed.length * 4)));
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > maxDecoded) {
                    throw new TooLargeException();
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }
}
