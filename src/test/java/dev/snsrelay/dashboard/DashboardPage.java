package dev.snsrelay.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard as a user drives it: what they click and type, and what they then see. */
final class DashboardPage {

    static final Duration WAIT = Duration.ofSeconds(20);

    private final ChromeDriver driver;
    private final WebDriverWait wait;
    private final URI base;
    private final Path screenshots;

    DashboardPage(ChromeDriver driver, URI base, Path screenshots) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, WAIT);
        this.base = base;
        this.screenshots = screenshots;
    }

    WebDriverWait waiting() {
        return wait;
    }

    /** Loads the page and waits until it has either asked for the token or loaded the apps. */
    void open() {
        driver.get(base.resolve("/dashboard").toString());
        settle();
    }

    /** Goes to /dashboard#APP, with the token this tab already holds. */
    void openApp(String app) {
        driver.get(base.resolve("/dashboard#" + app).toString());
        waitForApp(app);
        settle();
    }

    void reload() {
        driver.navigate().refresh();
        settle();
    }

    /** Waits until the page has answered every request it made. */
    void settle() {
        wait.until(d -> el("main").getDomAttribute("aria-busy") == null
                && (shown("token-section") || shown("workspace")));
    }

    void signIn(String token) {
        open();
        if (shown("token-section")) {
            enterToken(token);
        }
        wait.until(d -> shown("workspace"));
    }

    void enterToken(String token) {
        WebElement field = el("token");
        field.clear();
        field.sendKeys(token);
        driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        settle();
    }

    void selectApp(String app) {
        new Select(el("app-select")).selectByValue(app);
        waitForApp(app);
        settle();
    }

    void waitForApp(String app) {
        wait.until(d -> ("Amazon SNS for " + app).equals(text("sns-heading")));
    }

    void type(String id, String text) {
        WebElement field = el(id);
        field.clear();
        field.sendKeys(text);
    }

    void save() {
        el("save").click();
        waitForResult("save-status");
    }

    void testSns() {
        el("test-sns").click();
        waitForResult("test-result");
    }

    /** Waits for the outcome of Save or Test SNS, which marks itself ok or failed. */
    void waitForResult(String id) {
        wait.until(d -> {
            String css = el(id).getDomAttribute("class");
            return css != null && (css.contains("ok") || css.contains("failed"));
        });
        settle();
    }

    WebElement el(String id) {
        return driver.findElement(By.id(id));
    }

    String text(String id) {
        return el(id).getText().trim();
    }

    String value(String id) {
        return el(id).getDomProperty("value");
    }

    boolean shown(String id) {
        return el(id).isDisplayed();
    }

    String focusedId() {
        return (String) driver.executeScript("return document.activeElement.id;");
    }

    Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    void press(CharSequence key) {
        driver.switchTo().activeElement().sendKeys(key);
    }

    /** A picture of the whole page, not only the window, into target/screenshots/NAME.png. */
    Path screenshot(String name) {
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics",
                Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> content = (Map<String, Object>) metrics.get("cssContentSize");
        @SuppressWarnings("unchecked")
        Map<String, Object> viewport = (Map<String, Object>) metrics.get("cssLayoutViewport");
        // The window's width: capturing the whole height takes the vertical scroll bar away.
        double width = ((Number) driver.executeScript("return window.innerWidth;"))
                .doubleValue();
        double height = Math.max(((Number) content.get("height")).doubleValue(),
                ((Number) viewport.get("clientHeight")).doubleValue());
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of(
                "format", "png",
                "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        Path file = screenshots.resolve(name + ".png");
        try {
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The browser console since the last call. */
    List<String> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::toString).toList();
    }
}
