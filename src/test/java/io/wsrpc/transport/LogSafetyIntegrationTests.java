package io.wsrpc.transport;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.wsrpc.support.TestClient;
import io.wsrpc.support.TestMethods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Client text in log lines: a client may send newlines and control characters to forge
 * log lines, and long text to flood the log. Each test sends a line break followed by
 * {@code FORGED}, and thousands of characters.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(TestMethods.Config.class)
@ExtendWith(OutputCaptureExtension.class)
class LogSafetyIntegrationTests {

	/** Longer than any log line about one call or connection may be. */
	private static final int LONG = 5000;

	/**
	 * Log lines are capped per interval, and another test may have used up the current
	 * one; these tests send until their line is logged, in the next interval at the
	 * latest.
	 */
	private static final Duration LOGGED_WAIT = Duration.ofSeconds(20);

	@LocalServerPort
	private int port;

	@Autowired
	private LoggingSystem loggingSystem;

	@Test
	void failedCallIsLoggedWithItsIdAndMethodEscapedAndCapped(CapturedOutput output) {
		try (TestClient client = TestClient.connect(this.port, "/jsonrpc")) {
			await().atMost(LOGGED_WAIT).untilAsserted(() -> {
				client.call("""
						{"jsonrpc": "2.0", "method": "no\\r\\nFORGED method %s", "id": "r-1\\nFORGED id %s"}"""
					.formatted("m".repeat(LONG), "i".repeat(100)));
				assertThat(linesContaining(output, "failed with method_not_found"))
					.anySatisfy((line) -> assertThat(line).contains("r-1\\u000aFORGED id")
						.contains("no\\u000d\\u000aFORGED method")
						.hasSizeLessThan(1000));
			});
			assertNoLineForged(output);
		}
	}

	@Test
	void internalErrorIsLoggedWithItsIdEscapedAndCapped(CapturedOutput output) {
		try (TestClient client = TestClient.connect(this.port, "/jsonrpc")) {
			await().atMost(LOGGED_WAIT).untilAsserted(() -> {
				client.call("""
						{"jsonrpc": "2.0", "method": "test.explode", "id": "r-2\\nFORGED id %s"}"""
					.formatted("i".repeat(100)));
				assertThat(linesContaining(output, "failed with internal_error"))
					.anySatisfy((line) -> assertThat(line).contains("FORGED id").hasSizeLessThan(1000));
			});
			assertNoLineForged(output);
		}
	}

	@Test
	void closeReasonIsLoggedEscaped(CapturedOutput output) {
		await().atMost(LOGGED_WAIT).untilAsserted(() -> {
			try (TestClient client = TestClient.connect(this.port, "/ws")) {
				client.closeWith(1000, "bye\nFORGED close");
				client.awaitCloseCode();
			}
			assertThat(linesContaining(output, "closed with 1000"))
				.anySatisfy((line) -> assertThat(line).contains("bye\\u000aFORGED close"));
		});
		assertNoLineForged(output);
	}

	@Test
	void framesLoggedAtDebugAreEscapedAndCapped(CapturedOutput output) {
		this.loggingSystem.setLogLevel("io.wsrpc.transport", LogLevel.DEBUG);
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			client.call("""
					{"request_id": "frame",
					"FORGED": "frame", "action": "echo", "params": {"message": "%s"}}""".formatted("e".repeat(LONG)));

			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(
						() -> assertThat(linesContaining(output, " sends {\"request_id\":\"frame\"")).isNotEmpty());
			assertThat(linesContaining(output, " received {\"request_id\": \"frame\",\\u000a\"FORGED\"")).isNotEmpty();
			assertThat(linesContaining(output, "\"frame\""))
				.allSatisfy((line) -> assertThat(line).hasSizeLessThan(2000));
			assertNoLineForged(output);
		}
		finally {
			this.loggingSystem.setLogLevel("io.wsrpc.transport", null);
		}
	}

	private static List<String> linesContaining(CapturedOutput output, String text) {
		return lines(output).stream().filter((line) -> line.contains(text)).toList();
	}

	private static void assertNoLineForged(CapturedOutput output) {
		assertThat(lines(output)).noneMatch((line) -> line.startsWith("FORGED") || line.startsWith("\"FORGED"));
	}

	private static List<String> lines(CapturedOutput output) {
		return Arrays.asList(output.getAll().split("\\r\\n|\\r|\\n"));
	}

}
