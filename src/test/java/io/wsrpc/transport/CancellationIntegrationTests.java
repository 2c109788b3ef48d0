package io.wsrpc.transport;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wsrpc.support.TestClient;
import io.wsrpc.support.TestMethods;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(TestMethods.Config.class)
class CancellationIntegrationTests {

	private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);

	private static final String CANCELLED_BY_CLIENT = "The call was cancelled by its client.";

	@LocalServerPort
	private int port;

	@Autowired
	private TestMethods methods;

	@Autowired
	private MeterRegistry meterRegistry;

	@Test
	void rpcCancelEndsTheCallWithCancelledWithinASecondAndInterruptsItsMethod() throws Exception {
		int interrupted = this.methods.interrupted();
		double cancelled = count("test.block", "cancelled", "ws");
		double cancels = count("rpc.cancel", "ok", "ws");
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			startBlocking(client, """
					{"request_id": "r-9", "action": "test.block", "params": {"ms": 20000}}""");

			client.send("""
					{"request_id": "c-1", "action": "rpc.cancel", "params": {"request_id": "r-9"}}""");

			assertThat(List.of(client.pollMessage(WITHIN_A_SECOND), client.pollMessage(WITHIN_A_SECOND)))
				.containsExactlyInAnyOrder(json("""
						{"request_id": "c-1", "status": "ok", "result": true}"""), json("""
						{"request_id": "r-9", "status": "error", "error": {"code": "cancelled",
						"message": "%s"}}""".formatted(CANCELLED_BY_CLIENT)));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.methods.interrupted()).isEqualTo(interrupted + 1));
			assertThat(count("test.block", "cancelled", "ws")).isEqualTo(cancelled + 1);
			assertThat(count("rpc.cancel", "ok", "ws")).isEqualTo(cancels + 1);
		}
	}

	@Test
	void rpcCancelIsFalseForACallThatIsNotRunningOnThisConnection() throws Exception {
		try (TestClient owner = TestClient.connect(this.port, "/ws");
				TestClient other = TestClient.connect(this.port, "/ws")) {
			startBlocking(owner, """
					{"request_id": 9, "action": "test.block", "params": {"ms": 20000}}""");
			owner.call("""
					{"request_id": "done", "action": "ping"}""");

			assertThat(owner.call("""
					{"request_id": "c-1", "action": "rpc.cancel", "params": {"request_id": "done"}}"""))
				.isEqualTo(json("""
						{"request_id": "c-1", "status": "ok", "result": false}"""));
			assertThat(owner.call("""
					{"request_id": "c-2", "action": "rpc.cancel", "params": {"request_id": "9"}}""")).isEqualTo(json("""
					{"request_id": "c-2", "status": "ok", "result": false}"""));
			assertThat(other.call("""
					{"request_id": "c-3", "action": "rpc.cancel", "params": {"request_id": 9}}""")).isEqualTo(json("""
					{"request_id": "c-3", "status": "ok", "result": false}"""));

			owner.send("""
					{"request_id": "c-4", "action": "rpc.cancel", "params": {"request_id": 9}}""");
			assertThat(List.of(owner.nextMessage(), owner.nextMessage())).containsExactlyInAnyOrder(json("""
					{"request_id": "c-4", "status": "ok", "result": true}"""), json("""
					{"request_id": 9, "status": "error", "error": {"code": "cancelled",
					"message": "%s"}}""".formatted(CANCELLED_BY_CLIENT)));
		}
	}

	@Test
	void closingTheConnectionCancelsItsCallsAtOnce() {
		int interrupted = this.methods.interrupted();
		int laterCancelled = this.methods.laterCancelled();
		double blockCancelled = count("test.block", "cancelled", "ws");
		double laterCancelledMetric = count("test.later", "cancelled", "ws");
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			int blocking = this.methods.blocking();
			for (int i = 1; i <= 3; i++) {
				client.send("""
						{"request_id": %d, "action": "test.block", "params": {"ms": 20000}}""".formatted(i));
			}
			client.send("""
					{"request_id": "l", "action": "test.later", "params": {"ms": 20000}}""");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.methods.blocking()).isEqualTo(blocking + 3));
		}

		await().atMost(WITHIN_A_SECOND).untilAsserted(() -> {
			assertThat(this.methods.interrupted()).isEqualTo(interrupted + 3);
			assertThat(this.methods.laterCancelled()).isEqualTo(laterCancelled + 1);
			assertThat(count("test.block", "cancelled", "ws")).isEqualTo(blockCancelled + 3);
			assertThat(count("test.later", "cancelled", "ws")).isEqualTo(laterCancelledMetric + 1);
		});
	}

	@Test
	void rpcCancelCancelsTheCompletionStageOfTheCall() throws Exception {
		int laterCancelled = this.methods.laterCancelled();
		int laterStarted = this.methods.laterStarted();
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			client.send("""
					{"request_id": "l", "action": "test.later", "params": {"ms": 20000}}""");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.methods.laterStarted()).isEqualTo(laterStarted + 1));

			client.send("""
					{"request_id": "c", "action": "rpc.cancel", "params": {"request_id": "l"}}""");

			assertThat(List.of(client.pollMessage(WITHIN_A_SECOND), client.pollMessage(WITHIN_A_SECOND)))
				.containsExactlyInAnyOrder(json("""
						{"request_id": "c", "status": "ok", "result": true}"""), json("""
						{"request_id": "l", "status": "error", "error": {"code": "cancelled",
						"message": "%s"}}""".formatted(CANCELLED_BY_CLIENT)));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.methods.laterCancelled()).isEqualTo(laterCancelled + 1));
		}
	}

	@Test
	void methodThatIgnoresInterruptionsCanStopEarlyWhenItsCallIsCancelled() throws Exception {
		int stoppedEarly = this.methods.stoppedEarly();
		int spinning = this.methods.spinning();
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			client.send("""
					{"request_id": "s", "action": "test.spin", "params": {"ms": 20000}}""");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.methods.spinning()).isEqualTo(spinning + 1));

			client.send("""
					{"request_id": "c", "action": "rpc.cancel", "params": {"request_id": "s"}}""");

			await().atMost(WITHIN_A_SECOND).untilAsserted(() -> {
				assertThat(this.methods.stoppedEarly()).isEqualTo(stoppedEarly + 1);
				assertThat(this.methods.spinning()).isEqualTo(spinning);
			});
		}
	}

	@Test
	void jsonRpcCancelRequestNotificationEndsTheCallWithMinus32800AndGetsNoReply() throws Exception {
		int interrupted = this.methods.interrupted();
		double cancelled = count("test.block", "cancelled", "jsonrpc");
		try (TestClient client = TestClient.connect(this.port, "/jsonrpc")) {
			startBlocking(client, """
					{"jsonrpc": "2.0", "method": "test.block", "params": {"ms": 20000}, "id": 9}""");
			client.send("""
					{"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": "9"}}""");
			client.assertNoMessageWithin(Duration.ofMillis(300));

			client.send("""
					{"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 9}}""");

			assertThat(client.pollMessage(WITHIN_A_SECOND)).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32800, "message": "%s",
					"data": {"code": "cancelled"}}, "id": 9}""".formatted(CANCELLED_BY_CLIENT)));
			client.assertNoMessageWithin(Duration.ofMillis(300));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.methods.interrupted()).isEqualTo(interrupted + 1));
			assertThat(count("test.block", "cancelled", "jsonrpc")).isEqualTo(cancelled + 1);
		}
	}

	@Test
	void cancellingOneCallOfABatchGivesThatElementMinus32800InTheBatchResponse() throws Exception {
		try (TestClient client = TestClient.connect(this.port, "/jsonrpc")) {
			startBlocking(client, """
					[{"jsonrpc": "2.0", "method": "test.block", "params": {"ms": 20000}, "id": "slow"},
					 {"jsonrpc": "2.0", "method": "ping", "id": "fast"}]""");

			client.send("""
					{"jsonrpc": "2.0", "method": "rpc.cancel", "params": {"request_id": "slow"}, "id": "c"}""");

			assertThat(List.of(client.pollMessage(WITHIN_A_SECOND), client.pollMessage(WITHIN_A_SECOND)))
				.containsExactlyInAnyOrder(json("""
						{"jsonrpc": "2.0", "result": true, "id": "c"}"""), json("""
						[{"jsonrpc": "2.0", "error": {"code": -32800, "message": "%s",
						  "data": {"code": "cancelled"}}, "id": "slow"},
						 {"jsonrpc": "2.0", "result": "pong", "id": "fast"}]""".formatted(CANCELLED_BY_CLIENT)));
		}
	}

	@Test
	void discoveryListsRpcCancel() {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			JsonNode methods = client.call("""
					{"request_id": 1, "action": "rpc.discover"}""").at("/result/methods");

			JsonNode cancel = null;
			for (JsonNode method : methods) {
				if (method.get("name").asString().equals("rpc.cancel")) {
					cancel = method;
				}
			}
			assertThat(cancel).isEqualTo(
					json("""
							{"name": "rpc.cancel",
							 "description": "Cancels a call still running on the caller's connection, found by its request id; the call is answered with cancelled. Returns whether such a call was running.",
							 "paramStructure": "either",
							 "params": [{"name": "request_id", "required": true, "schema": {"type": ["string", "number"]}}],
							 "result": {"name": "result", "schema": {"type": "boolean"}},
							 "errors": [
							   {"code": -32602, "message": "invalid_params: params that do not bind or do not validate; data names each field"},
							   {"code": -32603, "message": "internal_error: the method failed on the server"},
							   {"code": -32005, "message": "rate_limited: the connection sent faster than its rate limit"}
							 ]}"""));
		}
	}

	/**
	 * Sends a call to {@code test.block} and waits until its method blocks.
	 */
	private void startBlocking(TestClient client, String request) {
		int blocking = this.methods.blocking();
		client.send(request);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.methods.blocking()).isEqualTo(blocking + 1));
	}

	private double count(String method, String outcome, String protocol) {
		Timer timer = this.meterRegistry.find("rpc.server.calls")
			.tags("method", method, "outcome", outcome, "protocol", protocol)
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

}
