package dev.burnrate.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.app.ApiFixture;
import dev.burnrate.query.Views;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The on-call page in a real headless Chromium (Debian's chromium and chromium-driver) against the HTTP API of a
 * processor fed with an incident ({@link ApiFixture}): it asks for the token, puts the failing service and its
 * alert on top, and an alert's generatorURL opens that service at that time with charts that have data, the
 * failing route and the dominant status code. Screenshots go to target/page-*.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PageBrowserTest {
    ApiFixture f;
    ChromeDriver browser;
    Path profile;
    String base;

    @BeforeAll
    void start() throws IOException {
        f = new ApiFixture();
        base = "http://127.0.0.1:" + f.port;
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1400,2200", "--user-data-dir=" + profile);
        // the Debian driver, never one Selenium Manager would download
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    void stop() throws IOException {
        if (browser != null) browser.quit();
        f.close();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    void awaitLoaded() {
        waiting().until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-loaded")));
    }

    @Test
    void theFailingServiceIsOnTopAndItsAlertsGeneratorUrlOpensItsView() throws Exception {
        // without the token the page asks for it; with it, the overview
        browser.get(base + "/");
        WebElement tokenInput = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
        tokenInput.sendKeys(ApiFixture.TOKEN);
        browser.findElement(By.cssSelector("#token-form button")).click();
        awaitLoaded();

        List<WebElement> rows = browser.findElements(By.cssSelector("#services tbody tr"));
        assertEquals(List.of("checkout", "catalog"), rows.stream().map(r -> r.getAttribute("data-service")).toList(), "failing service first");
        assertTrue(rows.get(0).getAttribute("class").contains("firing") && rows.get(0).getText().contains("4 FIRING"), rows.get(0).getText());
        assertFalse(rows.get(1).getAttribute("class").contains("firing"));
        WebElement alert = browser.findElement(By.cssSelector("#firing-alerts a.alert[data-service='checkout']"));
        assertTrue(alert.getText().contains("fast-burn"), alert.getText());
        assertTrue(browser.findElements(By.cssSelector("#firing-alerts a.alert[data-service='catalog']")).isEmpty());
        screenshot("page-overview.png");

        // the generatorURL of the alert record the processor wrote opens the service at the alert's time
        Views.AlertEpisode fast = f.history.episodes("checkout", 0, Long.MAX_VALUE).episodes().stream()
                .filter(e -> e.rule().equals("fast-burn")).findFirst().orElseThrow();
        URI generator = URI.create(fast.generatorURL());
        assertEquals("/ui/", generator.getPath(), fast.generatorURL());
        browser.get(base + generator.getRawPath() + "?" + generator.getRawQuery());
        awaitLoaded();
        assertEquals("checkout", browser.findElement(By.id("service-name")).getText());
        String firedAt = Instant.ofEpochMilli(ApiFixture.T0 + QueryApiTest.FIRED_AFTER).toString();
        assertEquals(firedAt, fast.firedAt());
        WebElement pinned = browser.findElement(By.id("pinned"));
        assertTrue(pinned.isDisplayed() && pinned.getText().contains(firedAt.replace("T", " ").replace("Z", "")), pinned.getText());
        WebElement episode = browser.findElement(By.cssSelector("#history details.episode.highlight"));
        assertEquals(fast.id(), episode.getAttribute("data-id"), "the alert of the link is highlighted in the history");
        assertTrue(episode.getText().contains("/api/pay"), "its evidence names the failing route: " + episode.getText());

        // the SLO card: budget left and burned so far over the period, since its start
        WebElement card = browser.findElement(By.cssSelector("#slo-cards .card.slo"));
        String periodStart = Instant.ofEpochMilli(ApiFixture.T0 + 47 * ApiFixture.MIN - 10_000).minus(java.time.Duration.ofDays(30)).toString();
        assertTrue(card.getText().contains("% burned") && card.getText().contains("since " + periodStart.replace("T", " ").replace("Z", " UTC")),
                card.getText());

        // charts with data, the thresholds' rule chosen from the alert, the failing route and the dominant code
        for (String chart : List.of("burn-chart", "ratio-chart")) {
            WebElement c = browser.findElement(By.id(chart));
            assertTrue(Integer.parseInt(c.getAttribute("data-points")) > 10, chart + " has " + c.getAttribute("data-points") + " points");
            assertFalse(c.findElements(By.tagName("canvas")).isEmpty(), chart + " is drawn");
        }
        assertEquals("fast-burn", browser.findElement(By.cssSelector("#rules button.on")).getText());
        assertTrue(browser.findElement(By.id("burn-chart")).getText().contains("threshold 14.4×"),
                "the threshold is drawn: " + browser.findElement(By.id("burn-chart")).getText());
        WebElement topRoute = browser.findElement(By.cssSelector("#routes tbody tr"));
        assertEquals("/api/pay", topRoute.getAttribute("data-route"));
        assertTrue(topRoute.getAttribute("class").contains("has-errors"));
        assertFalse(browser.findElements(By.cssSelector("#codes tr[data-code='503']")).isEmpty(), "503 in the 5xx breakdown");
        screenshot("page-service.png");

        // another rule's tab draws its windows and threshold; another range keeps the data coming
        browser.findElement(By.xpath("//span[@id='rules']/button[text()='slow-burn']")).click();
        waiting().withMessage(() -> "slow-burn chart: " + browser.findElement(By.id("burn-chart")).getText() + " / rules: "
                        + browser.findElement(By.id("rules")).getText() + " / " + browser.findElement(By.id("banner")).getText())
                .until(d -> d.findElement(By.id("burn-chart")).getText().contains("threshold 6.00×"));
        assertTrue(browser.findElement(By.id("burn-chart")).getText().contains("30m window"));
        browser.findElement(By.xpath("//span[@id='ranges']/button[text()='6h']")).click();
        waiting().until(d -> d.findElement(By.id("ratio-note")).getText().contains("per 5m step"));
        assertTrue(Integer.parseInt(browser.findElement(By.id("burn-chart")).getAttribute("data-points")) > 10);
    }

    void screenshot(String name) throws IOException {
        Path out = Path.of("target", name);
        Files.createDirectories(out.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), out, StandardCopyOption.REPLACE_EXISTING);
    }
}
