package io.wsrpc.console;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console page in a real headless Chromium (Debian's chromium and chromium-driver,
 * nothing downloaded). Skipped with a message where Chromium is not installed, unless
 * {@code WSRPC_REQUIRE_BROWSER} is set, as CI does after installing it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ConsoleBrowserIntegrationTests {

	private static final String CHROMIUM = "/usr/bin/chromium";

	private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	@LocalServerPort
	private int port;

	private ChromeDriver browser;

	private WebDriverWait wait;

	@BeforeEach
	void openBrowser() {
		boolean installed = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
		if (!installed && System.getenv("WSRPC_REQUIRE_BROWSER") != null) {
			throw new IllegalStateException("Chromium is missing; .ci/run installs chromium and chromium-driver");
		}
		Assumptions.assumeTrue(installed, "Skipped: no " + CHROMIUM + " (apt-get install chromium chromium-driver)");
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
			.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--disable-dev-shm-usage", "--window-size=1100,1300");
		this.browser = new ChromeDriver(
				new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build(), options);
		this.wait = new WebDriverWait(this.browser, Duration.ofSeconds(15));
	}

	@AfterEach
	void closeBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void pageConnectsCallsShowsErrorsAndLiveEvents() throws Exception {
		this.browser.get("http://localhost:" + this.port + "/");
		this.wait.until(ExpectedConditions.textToBe(By.id("state"), "connected"));
		this.wait.until((driver) -> new Select(driver.findElement(By.id("method"))).getOptions()
			.stream()
			.anyMatch((option) -> option.getText().equals("add_numbers")));
		new Select(this.browser.findElement(By.id("method"))).selectByVisibleText("add_numbers");

		params("{\"a\": 1, \"b\": 2}");
		this.browser.findElement(By.id("send")).click();
		WebElement ok = this.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#log li.ok")));
		assertThat(ok.getText()).contains("\"result\":3");

		params("{\"a\": \"x\", \"b\": 2}");
		this.browser.findElement(By.id("params")).sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
		WebElement error = this.wait
			.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#log li.error")));
		assertThat(error.getText()).contains("invalid_params");

		this.browser.findElement(By.id("subscribe")).click();
		this.wait.until((driver) -> driver.findElements(By.cssSelector("#log li.ok")).size() >= 2);
		this.browser.findElement(By.id("publish")).click();
		WebElement event = this.wait
			.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#log li.event")));
		assertThat(event.getText()).matches("event chat\\.lobby #[1-9][0-9]*: \"hello\"");

		params("{\"a\": 1, \"b\": 2}");
		this.browser.findElement(By.id("burst")).click();
		this.wait.until(
				ExpectedConditions.textMatches(By.id("burst-result"), java.util.regex.Pattern.compile("100 replies")));

		Path screenshot = this.browser.getScreenshotAs(OutputType.FILE).toPath();
		Files.copy(screenshot, Path.of("target/console.png"), StandardCopyOption.REPLACE_EXISTING);
	}

	private void params(String json) {
		WebElement params = this.browser.findElement(By.id("params"));
		params.clear();
		params.sendKeys(json);
	}

}
