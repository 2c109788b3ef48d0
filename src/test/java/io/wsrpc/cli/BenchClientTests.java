package io.wsrpc.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator of {@code bench} against servers that misbehave in ways a real one
 * does not: wrong sums, replies in fragments and in parts, pings, a wrong handshake.
 */
class BenchClientTests {

	@Test
	void benchCountsEveryWrongSumAsWrongAndSendsOnlyMaskedFrames() throws Exception {
		// a + b, except for every third call
		try (FakeWebSocketServer server = new FakeWebSocketServer(FakeWebSocketServer.Mode.PLAIN, (request) -> {
			long id = request.get("request_id").asLong();
			long sum = request.at("/params/a").asLong() + request.at("/params/b").asLong();
			return "{\"request_id\":" + id + ",\"status\":\"ok\",\"result\":" + ((id % 3 == 0) ? sum + 1 : sum) + "}";
		})) {
			String[] args = { "bench", "--requests", "30", "--json", "--url", server.url() };
			Run run = run(args);
			assertThat(run.code()).isEqualTo(1);
			JsonNode result = json(run.out());
			assertThat(result.get("ok").asLong()).isEqualTo(20);
			assertThat(result.get("wrong").asLong()).isEqualTo(10);
			assertThat(result.get("lost").asLong()).isZero();
			assertThat(server.unmasked()).isZero();
		}
	}

	@Test
	void benchMatchesRepliesThatArriveInFragmentsOverSeveralReadsAndAnswersPings() throws Exception {
		try (FakeWebSocketServer server = new FakeWebSocketServer(FakeWebSocketServer.Mode.IN_PARTS,
				(request) -> "{\"status\": \"ok\", \"result\": "
						+ (request.at("/params/a").asLong() + request.at("/params/b").asLong()) + ", \"request_id\": "
						+ request.get("request_id") + "}")) {
			Run run = run("bench", "--requests", "40", "--connections", "2", "--in-flight", "3", "--json", "--url",
					server.url());
			assertThat(run.code()).isZero();
			JsonNode result = json(run.out());
			assertThat(result.get("ok").asLong()).isEqualTo(40);
			assertThat(result.get("duplicate").asLong()).isZero();
			assertThat(server.pongs()).isPositive();
			assertThat(server.unmasked()).isZero();
		}
	}

	@Test
	void benchRefusesAServerWhoseAcceptDoesNotAnswerItsKey() throws Exception {
		try (FakeWebSocketServer server = new FakeWebSocketServer(FakeWebSocketServer.Mode.WRONG_ACCEPT,
				(request) -> "{}")) {
			Run run = run("bench", "--requests", "5", "--url", server.url());
			assertThat(run.code()).isEqualTo(2);
			assertThat(run.err())
				.startsWith("error: Cannot connect to " + server.url() + ": the server's Sec-WebSocket-Accept (");
		}
	}

	private static Run run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	private record Run(int code, String out, String err) {
	}

}
