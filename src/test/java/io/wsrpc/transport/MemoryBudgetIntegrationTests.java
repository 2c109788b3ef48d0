package io.wsrpc.transport;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.support.TestClient;
import io.wsrpc.support.TestMethods;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A memory budget of 64 KB, with the per-connection send limits out of the way: a
 * JSON-RPC batch holds its 20 KB message and its echo's 20 KB result until its blocking
 * call ends, and a 30 KB message does not fit beside them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "wsrpc.send-buffer-size=1GB", "wsrpc.send-time-limit=60s", "wsrpc.memory-budget=64KB" })
@Import(TestMethods.Config.class)
class MemoryBudgetIntegrationTests {

	static final String OVER_BUDGET = "The server holds more than 65536 bytes for calls in flight and unsent replies; retry later.";

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meterRegistry;

	@Test
	void messageThatDoesNotFitBesideTheBytesHeldForOtherCallsGetsOverloadedUntilTheyAreAnswered() {
		double held = held();
		String large = "x".repeat(20_000);
		String echo = """
				{"request_id": "e", "action": "echo", "params": {"message": "%s"}}""".formatted("y".repeat(30_000));
		try (TestClient holder = TestClient.connect(this.port, "/jsonrpc");
				TestClient other = TestClient.connect(this.port, "/ws")) {
			holder.send("""
					[{"jsonrpc": "2.0", "id": 1, "method": "test.block", "params": {"ms": 10000}},
					 {"jsonrpc": "2.0", "id": 2, "method": "echo", "params": {"message": "%s"}}]""".formatted(large));
			// the batch's message, and its echo's result waiting for the blocking call
			await().atMost(WAIT).until(() -> held() >= held + 40_000);

			assertThat(other.call(echo)).isEqualTo(json("""
					{"request_id": "e", "status": "error", "error": {"code": "overloaded", "message": "%s"}}"""
				.formatted(OVER_BUDGET)));
			assertThat(other.call("""
					{"request_id": "p", "action": "ping"}""")).isEqualTo(json("""
					{"request_id": "p", "status": "ok", "result": "pong"}"""));

			holder.send("""
					{"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 1}}""");
			assertThat(holder.nextMessage()).isEqualTo(
					json("""
							[{"jsonrpc": "2.0", "id": 1, "error": {"code": -32800, "message": "The call was cancelled by its client.", "data": {"code": "cancelled"}}},
							 {"jsonrpc": "2.0", "id": 2, "result": "%s"}]"""
						.formatted(large)));
			await().atMost(WAIT).untilAsserted(() -> assertThat(held()).isEqualTo(held));

			assertThat(other.call(echo).get("status").asString()).isEqualTo("ok");
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(held()).isEqualTo(held));
	}

	@Test
	void messagesOfUpTo8KbAreAnsweredWhileOthersHoldMoreThanTheBudget() {
		double held = held();
		String batch = """
				[{"jsonrpc": "2.0", "id": 1, "method": "test.block", "params": {"ms": 10000}},
				 {"jsonrpc": "2.0", "id": 2, "method": "echo", "params": {"message": "%s"}}]"""
			.formatted("x".repeat(20_000));
		try (TestClient first = TestClient.connect(this.port, "/jsonrpc");
				TestClient second = TestClient.connect(this.port, "/jsonrpc");
				TestClient other = TestClient.connect(this.port, "/ws")) {
			first.send(batch);
			await().atMost(WAIT).until(() -> held() >= held + 40_000);
			second.send(batch);
			// each batch's message and its echo's result: more than the 64 KB budget
			await().atMost(WAIT).until(() -> held() >= held + 80_000);

			assertThat(other.call("""
					{"request_id": "small", "action": "echo", "params": {"message": "%s"}}"""
				.formatted("s".repeat(8_000)))).isEqualTo(json("""
						{"request_id": "small", "status": "ok", "result": "%s"}""".formatted("s".repeat(8_000))));
			assertThat(other
				.call("""
						{"request_id": "large", "action": "echo", "params": {"message": "%s"}}"""
					.formatted("l".repeat(9_000)))
				.at("/error/code")
				.asString()).isEqualTo("overloaded");
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(held()).isEqualTo(held));
	}

	@Test
	void everyCallOfABatchThatDoesNotFitGetsOverloadedAndTheBudgetIsWholeAfterwards() {
		double held = held();
		String message = "z".repeat(70_000);
		try (TestClient client = TestClient.connect(this.port, "/jsonrpc")) {
			assertThat(client.call("""
					[{"jsonrpc": "2.0", "id": 1, "method": "ping"},
					 {"jsonrpc": "2.0", "method": "ping"},
					 {"jsonrpc": "2.0", "id": 2, "method": "echo", "params": {"message": "%s"}}]""".formatted(message)))
				.isEqualTo(
						json("""
								[{"jsonrpc": "2.0", "id": 1, "error": {"code": -32002, "message": "%1$s", "data": {"code": "overloaded"}}},
								 {"jsonrpc": "2.0", "id": 2, "error": {"code": -32002, "message": "%1$s", "data": {"code": "overloaded"}}}]"""
							.formatted(OVER_BUDGET)));
			assertThat(client.call("""
					{"jsonrpc": "2.0", "id": 3, "method": "ping"}""")).isEqualTo(json("""
					{"jsonrpc": "2.0", "id": 3, "result": "pong"}"""));
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(held()).isEqualTo(held));
	}

	private double held() {
		return this.meterRegistry.get("rpc.server.memory.held").gauge().value();
	}

}
