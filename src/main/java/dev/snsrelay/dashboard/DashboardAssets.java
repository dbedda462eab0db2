package dev.snsrelay.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * The dashboard's static files, read once from the classpath (src/main/resources/dashboard/).
 * Only the files listed here are served, each from its own fixed route, so no request path ever
 * reaches the classpath lookup.
 */
public final class DashboardAssets {

    /** Everything from the relay itself; no inline script or style, no frames, no plugins. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'none'; "
            + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final String FOLDER = "dashboard/";

    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8",
            "icon.svg", "image/svg+xml");

    private final Map<String, byte[]> files;

    private DashboardAssets(Map<String, byte[]> files) {
        this.files = files;
    }

    /** Reads every file now, so a jar built without one fails at start-up, not on a click. */
    public static DashboardAssets fromClasspath() {
        ClassLoader loader = DashboardAssets.class.getClassLoader();
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : TYPES.keySet()) {
            try (InputStream in = loader.getResourceAsStream(FOLDER + name)) {
                if (in == null) {
                    throw new IllegalStateException("dashboard file missing from the jar: "
                            + FOLDER + name);
                }
                files.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + FOLDER + name, e);
            }
        }
        return new DashboardAssets(Map.copyOf(files));
    }

    /**
     * The header filter of the dashboard's platform-http endpoints: the usual HTTP one, except
     * that it lets Cache-Control out, which it drops by default.
     */
    public static HeaderFilterStrategy responseHeaders() {
        HttpHeaderFilterStrategy strategy = new HttpHeaderFilterStrategy();
        strategy.getOutFilter().remove("cache-control");
        return strategy;
    }

    /** Answers with one file; the route names it, e.g. {@code serve(*, 'app.js')}. */
    public void serve(Exchange exchange, String name) {
        byte[] body = files.get(name);
        if (body == null) {
            throw new IllegalArgumentException("not a dashboard file: " + name);
        }
        Message out = exchange.getMessage();
        // platform-http writes every remaining header into the response: request headers
        // (Authorization, Cookie, ...) must not come back.
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, TYPES.get(name));
        out.setHeader("Cache-Control", "no-store");
        out.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setHeader("Referrer-Policy", "no-referrer");
        out.setHeader("X-Frame-Options", "DENY");
        out.setBody(body);
    }
}
