package io.wsrpc.transport;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.wsrpc.support.TestClient;
import io.wsrpc.support.TestMethods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client cannot flood the log: lines about its bad calls, its rejected messages and its
 * connections are capped, and what is held back is counted in a summary line.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(TestMethods.Config.class)
@ExtendWith(OutputCaptureExtension.class)
class LogFloodIntegrationTests {

	/**
	 * A summary line; group 1 is the count of lines held back, group 2 what they are
	 * about.
	 */
	private static final Pattern SUMMARY = Pattern
		.compile("(\\d+) more lines about ([a-z ]+) were not logged \\(at most \\d+ are logged every 5 s\\)");

	/** Lines below the default level; every other line (stack traces too) counts. */
	private static final Pattern BELOW_INFO = Pattern.compile(" (DEBUG|TRACE) \\[");

	/** Long enough for the last interval to end and its summary to be written. */
	private static final Duration SUMMARY_WAIT = Duration.ofSeconds(20);

	@LocalServerPort
	private int port;

	@Test
	void tenBatchesOfAThousandUnknownMethodsAddAtMostFiftyLinesAndASummaryOfTheRest(CapturedOutput output) {
		int start = output.getAll().length();
		try (TestClient client = TestClient.connect(this.port, "/jsonrpc")) {
			for (int batch = 0; batch < 10; batch++) {
				StringJoiner calls = new StringJoiner(",", "[", "]");
				for (int i = 0; i < 1000; i++) {
					calls.add("{\"jsonrpc\":\"2.0\",\"method\":\"nope\",\"id\":" + (batch * 1000 + i) + "}");
				}
				assertThat(client.call(calls.toString()).size()).isEqualTo(1000);
			}
		}

		await().atMost(SUMMARY_WAIT).untilAsserted(() -> {
			long logged = linesContaining(output, start, "to 'nope' failed with method_not_found").size();
			assertThat(logged + heldBack(output, start, "failed calls")).isGreaterThanOrEqualTo(10_000);
		});
		assertThat(linesAtInfoAndAbove(output, start)).hasSizeLessThanOrEqualTo(50);
	}

	@Test
	void aThousandParseErrorsAddAtMostFiftyLinesAndASummaryOfTheRest(CapturedOutput output) {
		int start = output.getAll().length();
		try (TestClient client = TestClient.connect(this.port, "/jsonrpc")) {
			for (int i = 0; i < 1000; i++) {
				client.send("{");
			}
			for (int i = 0; i < 1000; i++) {
				assertThat(client.nextMessage().get("error").get("code").asInt()).isEqualTo(-32700);
			}
		}

		await().atMost(SUMMARY_WAIT).untilAsserted(() -> {
			long logged = linesContaining(output, start, "rejected with parse_error").size();
			assertThat(logged + heldBack(output, start, "rejected messages")).isGreaterThanOrEqualTo(1000);
		});
		assertThat(linesAtInfoAndAbove(output, start)).hasSizeLessThanOrEqualTo(50);
	}

	@Test
	void aClientReconnectingInALoopGetsFewLinesAndASummaryOfTheRest(CapturedOutput output) {
		int start = output.getAll().length();
		for (int i = 0; i < 50; i++) {
			try (TestClient client = TestClient.connect(this.port, "/ws")) {
				client.call("""
						{"request_id": "r-1", "action": "echo", "params": {"message": "hi"}}""");
			}
		}

		await().atMost(SUMMARY_WAIT).untilAsserted(() -> {
			long logged = connectionLines(output, start).size();
			assertThat(logged + heldBack(output, start, "connections opened and closed")).isGreaterThanOrEqualTo(100);
		});
		// 20 lines every 5 s: this loop takes a few seconds
		assertThat(connectionLines(output, start)).hasSizeLessThanOrEqualTo(60);
	}

	@Test
	void internalErrorIsLoggedWithItsStackTrace(CapturedOutput output) {
		try (TestClient client = TestClient.connect(this.port, "/jsonrpc")) {
			// another test may have used up this interval's lines; the next interval logs
			await().atMost(SUMMARY_WAIT).untilAsserted(() -> {
				client.call("""
						{"jsonrpc": "2.0", "method": "test.explode", "id": "trace"}""");
				assertThat(output.getAll())
					.containsPattern("Call \"trace\" to 'test.explode' failed with internal_error"
							+ "\\R+java.lang.IllegalStateException: secret internal detail"
							+ "\\R+\\s+at io.wsrpc.support.TestMethods.explode\\(");
			});
		}
	}

	private static long heldBack(CapturedOutput output, int start, String about) {
		long count = 0;
		Matcher matcher = SUMMARY.matcher(output.getAll().substring(start));
		while (matcher.find()) {
			if (matcher.group(2).equals(about)) {
				count += Long.parseLong(matcher.group(1));
			}
		}
		return count;
	}

	private static List<String> linesAtInfoAndAbove(CapturedOutput output, int start) {
		return lines(output, start).stream()
			.filter((line) -> !line.isBlank() && !BELOW_INFO.matcher(line).find())
			.toList();
	}

	private static List<String> connectionLines(CapturedOutput output, int start) {
		return lines(output, start).stream()
			.filter((line) -> line.contains(" opened from ") || line.contains(" closed with "))
			.toList();
	}

	private static List<String> linesContaining(CapturedOutput output, int start, String text) {
		return lines(output, start).stream().filter((line) -> line.contains(text)).toList();
	}

	/** The lines written since the test began. */
	private static List<String> lines(CapturedOutput output, int start) {
		return Arrays.asList(output.getAll().substring(start).split("\\r\\n|\\r|\\n"));
	}

}
