package dev.snsrelay.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.snsrelay.e2e.RunningRelay;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the relay serves the dashboard's files, seen over HTTP: headers, paths, contents. */
class DashboardFilesTest {

    private static final Map<String, String> FILES = Map.of(
            "/dashboard", "text/html; charset=utf-8",
            "/dashboard/app.js", "text/javascript; charset=utf-8",
            "/dashboard/app.css", "text/css; charset=utf-8",
            "/dashboard/icon.svg", "image/svg+xml");

    @TempDir
    static Path dataDir;

    private static RunningRelay relay;

    @BeforeAll
    static void start() throws Exception {
        relay = RunningRelay.builder(dataDir).start();
    }

    @AfterAll
    static void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void each_file_comes_with_its_type_no_caching_and_a_policy_that_forbids_inline_script()
            throws Exception {
        for (var file : FILES.entrySet()) {
            HttpResponse<String> r = relay.get(file.getKey());
            assertThat(r.statusCode()).as(file.getKey()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).as(file.getKey())
                    .hasValue(file.getValue());
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            String policy = r.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(policy).startsWith("default-src 'self';").contains("script-src 'self'")
                    .contains("frame-ancestors 'none'").doesNotContain("unsafe");
        }
    }

    @Test
    void no_request_header_comes_back_in_the_answer() throws Exception {
        HttpResponse<String> r = relay.send(HttpRequest.newBuilder(relay.uri("/dashboard"))
                .header("Authorization", "Bearer probe-token-value")
                .header("Cookie", "session=probe-cookie-value")
                .header("X-Probe", "probe-header-value")
                .header("Origin", "http://127.0.0.1:9")
                .GET());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().map().keySet()).filteredOn(name -> !name.startsWith(":"))
                .map(String::toLowerCase)
                .containsExactlyInAnyOrder("content-type", "content-length", "cache-control",
                        "content-security-policy", "x-content-type-options", "referrer-policy",
                        "x-frame-options");
        assertThat(r.headers().map().toString()).doesNotContain("probe");
    }

    @Test
    void only_the_listed_files_are_served() throws Exception {
        for (String path : List.of("/dashboard/index.html", "/dashboard/../pom.xml",
                "/dashboard/%2e%2e/pom.xml", "/dashboard/..%2fpom.xml", "/dashboard/logback.xml",
                "/dashboard/app.js/../../pom.xml", "/dashboard/dashboard/app.js",
                "/dashboard/app.js.map", "/dashboard/app.css;x=1")) {
            // Sent exactly as written: HttpClient would not normalise "..", but be explicit.
            HttpResponse<String> r = relay.send(HttpRequest.newBuilder(
                    URI.create(relay.uri("").toString() + path)).GET());
            assertThat(r.statusCode()).as(path).isNotEqualTo(200);
            assertThat(r.body()).as(path).doesNotContain("<artifactId>")
                    .doesNotContain("sns-relay dashboard");
        }
        HttpResponse<String> post = relay.send(HttpRequest.newBuilder(relay.uri("/dashboard"))
                .POST(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(post.statusCode()).isNotEqualTo(200);
    }

    @Test
    void the_page_loads_nothing_from_other_hosts_and_has_no_inline_script_or_style()
            throws Exception {
        Path folder = Path.of("src/main/resources/dashboard");
        String html = Files.readString(folder.resolve("index.html"));
        String script = Files.readString(folder.resolve("app.js"));
        String style = Files.readString(folder.resolve("app.css"));

        // Every src and href is a path on the relay itself.
        var refs = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
        while (refs.find()) {
            assertThat(refs.group(1)).startsWith("/dashboard/");
        }
        assertThat(html).doesNotContain(" style=").doesNotContain("<style")
                .doesNotContainPattern("<script(?![^>]*\\ssrc=)").doesNotContainPattern(" on\\w+=");
        assertThat(script).doesNotContainPattern("https?://").doesNotContain("innerHTML")
                .doesNotContain("eval(");
        assertThat(style).doesNotContain("@import").doesNotContain("url(")
                .doesNotContain("@font-face");
    }
}
