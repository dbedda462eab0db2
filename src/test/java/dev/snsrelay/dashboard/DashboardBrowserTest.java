package dev.snsrelay.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.snsrelay.e2e.LocalSns;
import dev.snsrelay.e2e.RunningRelay;
import dev.snsrelay.e2e.Subscription;
import dev.snsrelay.testing.TestSecrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real headless Chromium, against the real relay and a real SNS-compatible
 * server whose topics have SQS subscribers. Each test sets up its own app, so they run in any
 * order; each takes screenshots into target/screenshots/.
 */
class DashboardBrowserTest {

    private static final String TOKEN = TestSecrets.register(
            "dashboard-admin-token-" + UUID.randomUUID());
    private static final String RELAY_PRINCIPAL = "arn:aws:iam::111122223333:role/sns-relay";
    private static final String KEY = "AKIADASHBOARD0000KEY";
    private static final String SECRET = TestSecrets.newSecret("dashboard");
    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    @TempDir
    static Path browserProfile;

    private static LocalSns sns;
    private static RunningRelay relay;
    private static Subscription webTopic;
    private static Subscription mobileTopic;
    private static ChromeDriver driver;
    private static DashboardPage page;

    private static String imdsSetting;

    @BeforeAll
    static void start() throws Exception {
        // Test SNS with resource auth walks the AWS SDK's default credentials chain, whose last
        // step asks the EC2 metadata service at 169.254.169.254: an address off this machine.
        imdsSetting = System.setProperty("aws.disableEc2Metadata", "true");
        sns = LocalSns.start();
        webTopic = sns.topicWithQueue("dashboard-web", "dashboard-web-consumer");
        mobileTopic = sns.topicWithQueue("dashboard-mobile", "dashboard-mobile-consumer");
        relay = RunningRelay.builder(dataDir)
                .snsEndpoint(sns.endpoint().toString())
                .property("relay.admin.token", TOKEN)
                .property("relay.aws.principal-arn", RELAY_PRINCIPAL)
                .app("declared-app", webTopic.topicArn())
                .start();
        Files.createDirectories(SCREENSHOTS);
        driver = HeadlessChromium.start(browserProfile);
        page = new DashboardPage(driver, relay.uri(""), SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (relay != null) {
            relay.close();
        }
        if (sns != null) {
            sns.close();
        }
        if (imdsSetting == null) {
            System.clearProperty("aws.disableEc2Metadata");
        } else {
            System.setProperty("aws.disableEc2Metadata", imdsSetting);
        }
    }

    @BeforeEach
    void wide_window() {
        driver.manage().window().setSize(new Dimension(1280, 900));
    }

    @AfterEach
    void no_script_error_and_nothing_refused_by_the_content_security_policy() {
        // The API's own 4xx answers show up as "Failed to load resource"; they are expected.
        List<String> problems = page.console().stream()
                .filter(line -> line.contains("SEVERE") || line.contains("Content Security"))
                .filter(line -> !line.matches(
                        "(?s).*/v1/apps.*Failed to load resource: the server responded with a "
                                + "status of 4\\d\\d.*"))
                .toList();
        assertThat(problems).isEmpty();
    }

    @Test
    void the_token_is_asked_once_kept_for_the_tab_and_forgotten_on_request() {
        page.open();
        page.script("sessionStorage.clear();");
        page.reload();
        assertThat(page.shown("token-section")).isTrue();
        assertThat(page.shown("workspace")).isFalse();
        assertThat(page.el("token").getDomAttribute("type")).isEqualTo("password");
        page.screenshot("01-token-asked");

        page.enterToken("not-the-token");
        assertThat(page.shown("token-section")).isTrue();
        assertThat(page.text("token-error")).contains("refused the admin token");
        assertThat(page.el("token").getDomAttribute("aria-invalid")).isEqualTo("true");
        page.screenshot("02-token-refused");

        page.enterToken(TOKEN);
        assertThat(page.shown("workspace")).isTrue();
        assertThat(page.shown("token-section")).isFalse();

        page.reload();
        assertThat(page.shown("workspace")).as("kept for the tab").isTrue();
        assertThat(page.script("return localStorage.length + document.cookie.length;"))
                .as("nothing but sessionStorage holds it").isEqualTo(0L);

        page.el("forget-token").click();
        assertThat(page.shown("token-section")).isTrue();
        assertThat(page.text("page-status")).contains("forgotten");
        page.reload();
        assertThat(page.shown("token-section")).isTrue();

        // A token that stopped working (changed on the relay) is asked for again.
        page.script("sessionStorage.setItem('sns-relay.admin-token', 'an-old-token');");
        page.reload();
        assertThat(page.shown("token-section")).isTrue();
        assertThat(page.text("token-error")).contains("refused the admin token");
        page.enterToken(TOKEN);
        assertThat(page.shown("workspace")).isTrue();
    }

    @Test
    void a_new_app_is_saved_once_the_topic_arn_the_relay_refused_is_fixed() throws Exception {
        page.signIn(TOKEN);
        page.el("new-app").click();
        assertThat(page.focusedId()).isEqualTo("new-app-id");
        page.type("new-app-id", "web chat");
        page.press(Keys.ENTER);
        assertThat(page.text("new-app-error")).contains("letters, digits, _ or -");

        page.type("new-app-id", "created-in-browser");
        page.press(Keys.ENTER);
        page.waitForApp("created-in-browser");
        assertThat(new Select(page.el("app-select")).getFirstSelectedOption().getText())
                .isEqualTo("created-in-browser (not saved)");
        assertThat(page.value("sns_topic_arn")).isEmpty();
        assertThat(page.focusedId()).isEqualTo("sns_topic_arn");
        assertThat(page.shown("stats")).as("no counters before the app exists").isFalse();

        page.type("sns_topic_arn", "arn:aws:sns:us-east-1:12345:web-chat");
        page.type("sns_key", KEY);
        page.type("sns_secret", SECRET);
        page.save();

        assertThat(page.text("sns_topic_arn-error"))
                .contains("must look like arn:aws:sns:<region>:<12 digits>:<topic name>");
        assertThat(page.el("sns_topic_arn").getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(page.el("sns_topic_arn").getDomAttribute("aria-describedby"))
                .contains("sns_topic_arn-error");
        assertThat(page.focusedId()).isEqualTo("sns_topic_arn");
        assertThat(page.text("save-status")).isEqualTo("Not saved: correct the marked field.");
        page.screenshot("03-new-app-topic-arn-refused");
        assertThat(get("/v1/apps/created-in-browser/settings").statusCode()).isEqualTo(404);

        page.type("sns_topic_arn", webTopic.topicArn());
        page.save();

        assertThat(page.text("save-status")).isEqualTo("App created-in-browser created.");
        assertThat(page.shown("sns_topic_arn-error")).isFalse();
        assertThat(page.el("sns_topic_arn").getDomAttribute("aria-invalid")).isNull();
        assertThat(new Select(page.el("app-select")).getFirstSelectedOption().getText())
                .isEqualTo("created-in-browser");
        JsonNode saved = settings("created-in-browser");
        assertThat(saved.get("sns_topic_arn").asText()).isEqualTo(webTopic.topicArn());
        assertThat(saved.get("sns_key").asText()).isEqualTo("AKIA************0KEY");
        assertThat(saved.get("sns_secret_set").asBoolean()).isTrue();
        page.waiting().until(d -> page.shown("stats"));
        assertThat(page.text("stat-received")).isEqualTo("0");
        page.screenshot("04-new-app-created");
    }

    @Test
    void test_sns_publishes_a_test_event_that_reaches_the_topics_subscribers() throws Exception {
        createApp("tested-app", keysApp(webTopic.topicArn()));
        // One real event first, so the counters show a delivery.
        post("tested-app", "{\"type\":\"message.new\",\"text\":\"hi\"}", "tested-1");
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.metric(
                "relay_events_published_total", "app=\"tested-app\"") == 1.0);

        page.signIn(TOKEN);
        page.openApp("tested-app");
        page.testSns();

        assertThat(page.el("test-result").getDomAttribute("class")).contains("ok");
        String shown = page.text("test-result");
        assertThat(shown).matches("SNS accepted the test event\\. Message id: \\S+");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(checkEvents(webTopic, "tested-app")).hasSize(1));
        assertThat(page.text("stat-published")).isEqualTo("1");

        // The README's picture, docs/dashboard.png, is a copy of this one.
        page.screenshot("05-test-sns-ok");
    }

    @Test
    void test_sns_with_an_unknown_topic_shows_not_found_and_saves_nothing() throws Exception {
        createApp("moved-app", keysApp(webTopic.topicArn()));
        String unknown = webTopic.topicArn().replace("dashboard-web", "no-such-topic");
        page.signIn(TOKEN);
        page.openApp("moved-app");

        page.type("sns_topic_arn", unknown);
        page.testSns();

        assertThat(page.el("test-result").getDomAttribute("class")).contains("failed");
        assertThat(page.text("test-result"))
                .isEqualTo("SNS did not accept the test event: NotFound: Topic does not exist");
        assertThat(page.value("sns_topic_arn")).as("the form keeps what was typed")
                .isEqualTo(unknown);
        assertThat(driver.getCurrentUrl()).endsWith("/dashboard#moved-app");
        assertThat(settings("moved-app").get("sns_topic_arn").asText())
                .isEqualTo(webTopic.topicArn());
        page.screenshot("06-test-sns-not-found");
    }

    @Test
    void choosing_another_app_shows_that_apps_settings() throws Exception {
        createApp("app-one", keysApp(webTopic.topicArn()));
        Map<String, Object> two = keysApp(mobileTopic.topicArn());
        two.put("event_types", List.of("message.new", "reaction.new"));
        two.put("enabled", false);
        createApp("app-two", two);

        page.signIn(TOKEN);
        page.openApp("app-one");
        assertThat(page.value("sns_topic_arn")).isEqualTo(webTopic.topicArn());
        assertThat(page.el("types-all").isSelected()).isTrue();
        assertThat(page.shown("event-types-list")).isFalse();
        assertThat(page.el("enabled").isSelected()).isTrue();

        page.selectApp("app-two");
        assertThat(page.value("sns_topic_arn")).isEqualTo(mobileTopic.topicArn());
        assertThat(page.el("types-only").isSelected()).isTrue();
        assertThat(page.value("event-types-list")).isEqualTo("message.new\nreaction.new");
        assertThat(page.el("enabled").isSelected()).isFalse();
        assertThat(new Select(page.el("app-select")).getFirstSelectedOption().getText())
                .isEqualTo("app-two (not enabled)");
        assertThat(driver.getCurrentUrl()).endsWith("#app-two");
        page.screenshot("07-other-app");

        page.selectApp("app-one");
        assertThat(page.value("sns_topic_arn")).isEqualTo(webTopic.topicArn());
        assertThat(page.el("enabled").isSelected()).isTrue();
        assertThat(page.shown("declared-note")).isFalse();

        page.selectApp("declared-app");
        assertThat(page.text("declared-note")).contains("application.properties");
    }

    @Test
    void resource_auth_shows_the_statement_to_add_to_the_topic_policy_ready_to_copy()
            throws Exception {
        createApp("resource-app", keysApp(webTopic.topicArn()));
        page.signIn(TOKEN);
        page.openApp("resource-app");

        page.el("auth-resource").click();
        assertThat(page.shown("sns_key")).isFalse();
        assertThat(page.shown("sns_secret")).isFalse();
        assertThat(page.text("resource-policy-pending")).startsWith("Save with this");
        page.save();

        assertThat(page.text("save-status")).isEqualTo("Settings of resource-app saved.");
        assertThat(page.shown("resource-policy-text")).isTrue();
        String shownStatement = page.el("resource-policy-text").getText();
        JsonNode statement = JSON.readTree(shownStatement);
        assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
        assertThat(statement.get("Principal").get("AWS").asText()).isEqualTo(RELAY_PRINCIPAL);
        assertThat(statement.get("Action").asText()).isEqualTo("SNS:Publish");
        assertThat(statement.get("Resource").asText()).isEqualTo(webTopic.topicArn());
        assertThat(shownStatement).as("formatted over several lines").contains("\n  \"Effect\"");
        page.screenshot("08-resource-policy");

        driver.setPermission("clipboard-read", "granted");
        driver.setPermission("clipboard-write", "granted");
        page.el("resource-policy-text").findElement(By.xpath(
                "following-sibling::div/button")).click();
        page.waiting().until(d -> !page.text("resource-policy-copied").isEmpty());
        assertThat(page.text("resource-policy-copied")).isEqualTo("Copied.");
        Object clipboard = driver.executeAsyncScript(
                "navigator.clipboard.readText().then(arguments[0], () => arguments[0](null));");
        assertThat(clipboard).isEqualTo(page.script(
                "return document.getElementById('resource-policy-text').textContent;"));

        // Without clipboard access the statement is selected for the user to copy.
        driver.setPermission("clipboard-write", "denied");
        page.script("document.getElementById('resource-policy-copied').textContent = '';");
        page.el("resource-policy-text").findElement(By.xpath(
                "following-sibling::div/button")).click();
        page.waiting().until(d -> !page.text("resource-policy-copied").isEmpty());
        assertThat(page.text("resource-policy-copied")).startsWith("Selected: press Ctrl+C");
        assertThat(page.script("return window.getSelection().toString();"))
                .isEqualTo(shownStatement);
        page.screenshot("09-resource-policy-selected");
    }

    @Test
    void stored_credentials_never_come_back_into_the_form() throws Exception {
        createApp("secret-app", keysApp(webTopic.topicArn()));
        page.signIn(TOKEN);
        page.openApp("secret-app");
        assertThat(page.value("sns_secret")).isEmpty();
        assertThat(page.text("sns_secret-help"))
                .isEqualTo("A secret is stored; leave empty to keep it.");
        assertThat(page.value("sns_key")).isEmpty();
        assertThat(page.text("sns_key-help"))
                .isEqualTo("Stored key: AKIA************0KEY. Leave empty to keep it.");

        String newSecret = TestSecrets.newSecret("dashboardchanged");
        page.type("sns_secret", newSecret);
        page.save();
        assertThat(page.text("save-status")).isEqualTo("Settings of secret-app saved.");
        assertThat(page.value("sns_secret")).as("emptied once saved").isEmpty();

        page.reload();
        page.waitForApp("secret-app");
        assertThat(page.value("sns_secret")).isEmpty();
        assertThat(page.value("sns_key")).isEmpty();
        assertThat(page.text("sns_secret-help"))
                .isEqualTo("A secret is stored; leave empty to keep it.");
        assertThat(driver.getPageSource()).doesNotContain(newSecret).doesNotContain(SECRET)
                .doesNotContain(KEY);
        // The empty key field kept the stored key: the save left sns_key out.
        assertThat(settings("secret-app").get("sns_key").asText())
                .isEqualTo("AKIA************0KEY");
        page.testSns();
        assertThat(page.text("test-result")).startsWith("SNS accepted the test event.");
        page.screenshot("10-secret-empty-after-reload");
    }

    @Test
    void delivery_counters_show_what_happened_to_the_apps_events() throws Exception {
        Map<String, Object> app = keysApp(webTopic.topicArn());
        app.put("event_types", List.of("message.new"));
        createApp("counted-app", app);
        page.signIn(TOKEN);
        page.openApp("counted-app");
        page.waiting().until(d -> page.text("stats-status").startsWith("Counters read at"));
        assertThat(page.text("stat-received")).isEqualTo("0");

        post("counted-app", "{\"type\":\"message.new\",\"text\":\"kept\"}", "counted-1");
        post("counted-app", "{\"type\":\"reaction.new\",\"text\":\"filtered\"}", "counted-2");
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.metric(
                "relay_events_published_total", "app=\"counted-app\"") == 1.0
                && relay.metric("relay_events_dropped_total",
                        "app=\"counted-app\",reason=\"event_type\"") == 1.0);

        page.el("stats-refresh").click();
        page.settle();
        assertThat(page.text("stat-received")).isEqualTo("2");
        assertThat(page.text("stat-published")).isEqualTo("1");
        assertThat(page.text("stat-dropped"))
                .isEqualTo("1\nevent type not selected (event_type): 1");
        assertThat(page.text("stat-dead-lettered")).isEqualTo("0");
        page.screenshot("11-counters");
    }

    @Test
    void every_field_has_a_label_and_the_keyboard_alone_saves_and_tests() throws Exception {
        createApp("keyboard-app", keysApp(mobileTopic.topicArn()));
        page.signIn(TOKEN);
        page.openApp("keyboard-app");

        assertThat(page.script("return [...document.querySelectorAll('input, select, textarea')]"
                + ".filter(e => e.labels.length === 0).map(e => e.id);")).asList().isEmpty();

        page.script("document.activeElement.blur(); window.scrollTo(0, 0);");
        List<String> order = new ArrayList<>();
        Map<String, String> outlines = new LinkedHashMap<>();
        while (order.size() < 30 && !"test-sns".equals(page.focusedId())) {
            new Actions(driver).sendKeys(Keys.TAB).perform();
            String id = page.focusedId();
            order.add(id);
            outlines.put(id, (String) page.script("const s = getComputedStyle("
                    + "document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth;"));
        }
        assertThat(order).as("the order the page reads in").containsExactly("forget-token",
                "app-select", "new-app", "sns_topic_arn", "auth-keys", "sns_key", "sns_secret",
                "types-all", "enabled", "more-settings-toggle", "save", "test-sns");
        assertThat(outlines).as("a visible focus ring on every stop")
                .allSatisfy((id, outline) -> assertThat(outline).isEqualTo("solid 3px"));
        page.screenshot("12-keyboard-focus");

        page.el("sns_topic_arn").sendKeys(Keys.chord(Keys.CONTROL, "a"), webTopic.topicArn(),
                Keys.ENTER);
        page.waitForResult("save-status");
        assertThat(page.text("save-status")).isEqualTo("Settings of keyboard-app saved.");

        page.el("test-sns").sendKeys(Keys.ENTER);
        page.waitForResult("test-result");
        assertThat(page.text("test-result")).startsWith("SNS accepted the test event.");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(checkEvents(webTopic, "keyboard-app")).hasSize(1));
    }

    @Test
    void an_app_is_deleted_after_confirming() throws Exception {
        createApp("doomed-app", keysApp(webTopic.topicArn()));
        page.signIn(TOKEN);
        page.openApp("doomed-app");

        page.el("delete-app").click();
        assertThat(page.text("delete-question")).startsWith("Delete app doomed-app?");
        assertThat(page.focusedId()).isEqualTo("delete-no");
        page.el("delete-no").click();
        assertThat(page.shown("delete-confirm")).isFalse();

        page.el("delete-app").click();
        page.el("delete-yes").click();
        page.settle();
        page.waiting().until(d -> page.text("page-status").equals("App doomed-app deleted."));
        assertThat(new Select(page.el("app-select")).getOptions())
                .noneMatch(o -> o.getDomProperty("value").equals("doomed-app"));
        assertThat(get("/v1/apps/doomed-app/settings").statusCode()).isEqualTo(404);
    }

    @Test
    void the_page_fits_a_400_px_wide_window_without_scrolling_sideways() throws Exception {
        Map<String, Object> app = keysApp(
                "arn:aws:sns:ap-southeast-2:123456789012:a-rather-long-topic-name-for-"
                        + "chat-events-of-the-mobile-apps-in-production");
        app.put("sns_auth_type", "resource");
        app.put("event_types", List.of("message.new", "message.updated", "reaction.new"));
        createApp("narrow-app-with-a-long-name-to-show-how-it-wraps", app);
        try {
            driver.manage().window().setSize(new Dimension(400, 900));
            page.signIn(TOKEN);
            page.openApp("narrow-app-with-a-long-name-to-show-how-it-wraps");
            assertThat(page.script("return window.innerWidth;")).isEqualTo(400L);
            assertNoSidewaysScroll();
            page.screenshot("13-narrow-400px");

            // The relay has no AWS identity here: a long error, shortened, the rest on request.
            page.testSns();
            assertThat(page.text("test-result"))
                    .startsWith("SNS did not accept the test event: ClientError:");
            WebElement full = page.el("test-result").findElement(By.tagName("details"));
            assertThat(full.getText()).isEqualTo("Full message");
            full.findElement(By.tagName("summary")).click();
            assertThat(full.getText()).contains("Unable to load credentials");
            assertNoSidewaysScroll();
            page.screenshot("14-narrow-400px-test-error");

            page.el("forget-token").click();
            assertNoSidewaysScroll();
            page.screenshot("15-narrow-400px-token");
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    /**
     * Nothing sticks out sideways: the page is no wider than the window (innerWidth) nor than
     * the room beside the vertical scroll bar (clientWidth). A failure names what sticks out.
     */
    @SuppressWarnings("unchecked")
    private static void assertNoSidewaysScroll() {
        Map<String, Object> sizes = (Map<String, Object>) page.script("""
                const root = document.documentElement;
                const wide = [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > root.clientWidth + 0.5)
                    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                        + ' right=' + e.getBoundingClientRect().right);
                return {scroll: root.scrollWidth, inner: window.innerWidth,
                    client: root.clientWidth, wide: wide};
                """);
        long scroll = ((Number) sizes.get("scroll")).longValue();
        assertThat(scroll).as("scrollWidth vs innerWidth; sticking out: %s", sizes.get("wide"))
                .isLessThanOrEqualTo(((Number) sizes.get("inner")).longValue());
        assertThat(scroll).as("scrollWidth vs clientWidth; sticking out: %s", sizes.get("wide"))
                .isLessThanOrEqualTo(((Number) sizes.get("client")).longValue());
    }

    /** The test events ("Test SNS") for one app that reached a topic's SQS subscriber. */
    private static List<JsonNode> checkEvents(Subscription topic, String app) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (String body : topic.bodies()) {
            JsonNode event = JSON.readTree(body);
            if ("sns_relay.check".equals(event.path("type").asText())
                    && app.equals(event.path("app").asText())) {
                found.add(event);
            }
        }
        return found;
    }

    private static Map<String, Object> keysApp(String topicArn) {
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("sns_topic_arn", topicArn);
        app.put("sns_auth_type", "keys");
        app.put("sns_key", KEY);
        app.put("sns_secret", SECRET);
        return app;
    }

    private static void createApp(String app, Map<String, Object> settings) throws Exception {
        HttpResponse<String> r = relay.admin("PATCH", "/v1/apps/" + app + "/settings", TOKEN,
                JSON.writeValueAsString(settings));
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    }

    private static JsonNode settings(String app) throws Exception {
        HttpResponse<String> r = get("/v1/apps/" + app + "/settings");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return relay.admin("GET", path, TOKEN, null);
    }

    private static void post(String app, String event, String id) throws Exception {
        assertThat(relay.postEvent(app, event.getBytes(StandardCharsets.UTF_8), id).statusCode())
                .isEqualTo(202);
    }
}
