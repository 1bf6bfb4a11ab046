package dev.t2v.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Drives the page in headless Chromium (Debian's chromium and chromium-driver): type a prompt, generate, watch the
 * progress, check that the result and the history show, and keep a screenshot in {@code target/}.
 */
class ServeBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path out;
    @TempDir
    Path profile;

    private WebServer server;
    private ChromeDriverService service;
    private ChromeDriver driver;
    private GatedGenerator generator;

    @BeforeEach
    void startBrowserAndServer() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " (apt-get install chromium chromium-driver)");
        assumeTrue(Files.isExecutable(CHROMEDRIVER), "no " + CHROMEDRIVER + " (apt-get install chromium-driver)");
        generator = new GatedGenerator();
        server = WebServer.start(ServeConfig.defaults(out).withPort(0), generator);
        // An explicit driver executable keeps Selenium Manager from looking for (or downloading) anything.
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-extensions", "--window-size=1280,1000", "--user-data-dir=" + profile.toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private static void type(WebElement input, String text) {
        input.clear();
        input.sendKeys(text);
    }

    @Test
    void typingAPromptAndClickingGenerateShowsProgressThenTheVideoAndItsHistory() throws Exception {
        driver.get(server.uri().toString());
        waiting().until(d -> "true".equals(js("return document.body.dataset.ready")));
        assertThat(driver.getTitle()).contains("t2v");
        assertThat(driver.findElements(By.cssSelector("#sampler option")))
                .extracting(WebElement::getText).containsExactlyInAnyOrder("ddpm", "ddim", "dpmpp");

        String prompt = "a green square moving right";
        type(driver.findElement(By.id("prompt")), prompt);
        type(driver.findElement(By.id("frames")), "8");
        type(driver.findElement(By.id("steps")), "6");
        type(driver.findElement(By.id("seed")), "5");
        driver.findElement(By.id("generate")).click();

        // The job waits at each step until the test lets it go, so the progress shown is exact.
        WebElement status = driver.findElement(By.id("status"));
        waiting().until(d -> status.getText().equals("Denoising 0/6") || status.getText().startsWith("Encoding"));
        generator.release(3);
        waiting().until(d -> status.getText().equals("Denoising 3/6"));
        assertThat(driver.findElement(By.id("cancel")).isDisplayed()).isTrue();
        generator.openAll();

        WebElement result = driver.findElement(By.id("result"));
        waiting().until(d -> result.isDisplayed());
        waiting().until(d -> Boolean.TRUE.equals(js(
                "const i = document.getElementById('result-gif'); return i.complete && i.naturalWidth > 0;")));
        assertThat(((Number) js("return document.getElementById('result-gif').naturalWidth")).intValue())
                .isEqualTo(MovingSquareGenerator.SIZE);
        waiting().until(d -> Boolean.TRUE.equals(js(
                "const i = document.getElementById('result-sheet'); return i.complete && i.naturalWidth > 0;")));
        assertThat(driver.findElement(By.id("result-caption")).getText()).isEqualTo(prompt);
        assertThat(status.getText()).startsWith("Done in");
        assertThat(driver.findElement(By.id("result-meta")).getText()).contains("8 frames", "6 dpmpp steps", "seed 5");
        String id = result.getAttribute("data-job-id");
        for (String[] link : List.of(new String[] {"dl-mp4", "video.mp4"}, new String[] {"dl-gif", "video.gif"},
                new String[] {"dl-sheet", "sheet.png"})) {
            assertThat(driver.findElement(By.id(link[0])).getAttribute("href"))
                    .isEqualTo(server.uri().resolve("/files/" + id + "/" + link[1]).toString());
        }

        // The MP4 plays where the browser has H.264; elsewhere the page says so and keeps the GIF.
        waiting().until(d -> Boolean.TRUE.equals(js(
                "const v = document.getElementById('result-video');"
                        + "return v.readyState >= 2 || !document.getElementById('video-note').hidden;")));
        Map<?, ?> video = (Map<?, ?>) js("const v = document.getElementById('result-video');"
                + "return {ready: v.readyState, width: v.videoWidth, error: v.error ? v.error.code : 0,"
                + " note: !document.getElementById('video-note').hidden};");
        if (((Number) video.get("ready")).intValue() >= 2) {
            assertThat(((Number) video.get("width")).intValue()).isEqualTo(MovingSquareGenerator.SIZE);
        } else {
            assertThat(video.get("note")).isEqualTo(Boolean.TRUE);
            assertThat(((Number) video.get("error")).intValue()).isPositive();
        }
        System.out.println("ServeBrowserTest: video element " + video);

        waiting().until(d -> d.findElements(By.cssSelector("#history li[data-state=done]")).size() == 1);
        WebElement entry = driver.findElement(By.cssSelector("#history li"));
        assertThat(entry.findElement(By.className("prompt")).getText()).isEqualTo(prompt);
        assertThat(entry.getAttribute("data-job-id")).isEqualTo(id);

        // "Reuse settings" puts a history entry's request back into the form.
        type(driver.findElement(By.id("prompt")), "something else");
        type(driver.findElement(By.id("seed")), "99");
        entry.findElement(By.tagName("button")).click();
        assertThat(driver.findElement(By.id("prompt")).getAttribute("value")).isEqualTo(prompt);
        assertThat(driver.findElement(By.id("seed")).getAttribute("value")).isEqualTo("5");

        Path shot = Path.of("target", "serve-screenshot.png");
        Files.createDirectories(shot.getParent());
        File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(shot)).isPositive();

        List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(severe).as("console errors (CSP violations, script errors, failed loads)").isEmpty();
    }

    @Test
    void theFormStartsAtTheModelsDefaultsAndAnEmptyPromptWithAGuidanceIntervalGenerates() {
        driver.get(server.uri().toString());
        waiting().until(d -> "true".equals(js("return document.body.dataset.ready")));
        var d = generator.defaults();
        assertThat(driver.findElement(By.id("steps")).getAttribute("value")).isEqualTo(Integer.toString(d.steps()));
        assertThat(Double.parseDouble(driver.findElement(By.id("guidanceScale")).getAttribute("value")))
                .isEqualTo(d.guidance());
        assertThat(driver.findElement(By.id("sampler")).getAttribute("value")).isEqualTo(d.sampler());
        assertThat(driver.findElement(By.id("guidanceInterval")).getAttribute("value"))
                .isEqualTo(d.guidanceInterval().label());

        driver.findElement(By.id("prompt")).clear();
        type(driver.findElement(By.id("steps")), "2");
        type(driver.findElement(By.id("guidanceInterval")), "0,700");
        generator.openAll();
        driver.findElement(By.id("generate")).click();
        WebElement result = driver.findElement(By.id("result"));
        waiting().until(dr -> result.isDisplayed());
        assertThat(driver.findElement(By.id("result-caption")).getText()).isEqualTo("(empty prompt: unconditional)");
        assertThat(driver.findElement(By.id("result-meta")).getText()).contains("guidance", "at t 0,700");
    }

    @Test
    void cancelStopsTheRunningJobAndTheHistorySaysSo() {
        driver.get(server.uri().toString());
        waiting().until(d -> "true".equals(js("return document.body.dataset.ready")));
        type(driver.findElement(By.id("prompt")), "never finished");
        type(driver.findElement(By.id("steps")), "10");
        driver.findElement(By.id("generate")).click();
        WebElement status = driver.findElement(By.id("status"));
        generator.release(2);
        waiting().until(d -> status.getText().equals("Denoising 2/10"));

        driver.findElement(By.id("cancel")).click();
        generator.release(1); // the job notices the cancel at its next step
        waiting().until(d -> status.getText().equals("Cancelled: cancelled"));
        assertThat(driver.findElement(By.id("cancel")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("result")).isDisplayed()).isFalse();
        waiting().until(d -> d.findElements(By.cssSelector("#history li[data-state=cancelled]")).size() == 1);
    }

    @Test
    void aValueTheServerRejectsIsShownNextToItsField() {
        driver.get(server.uri().toString());
        waiting().until(d -> "true".equals(js("return document.body.dataset.ready")));
        type(driver.findElement(By.id("prompt")), "a red square");
        WebElement steps = driver.findElement(By.id("steps"));
        js("arguments[0].removeAttribute('max')", steps); // past the browser's own check, to the server's
        type(steps, "5000");
        driver.findElement(By.id("generate")).click();

        WebElement error = driver.findElement(By.id("error"));
        waiting().until(d -> error.isDisplayed());
        assertThat(error.getText()).isEqualTo("steps: expected in [1, 1000], got 5000");
        assertThat(steps.getAttribute("class")).contains("invalid");
        assertThat(generator.started()).isZero();
    }
}
