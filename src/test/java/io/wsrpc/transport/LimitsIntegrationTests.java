package io.wsrpc.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import io.wsrpc.support.RawWebSocket;
import io.wsrpc.support.TestClient;
import io.wsrpc.support.TestMethods;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "wsrpc.max-in-flight=2", "wsrpc.call-timeout=1s" })
@Import(TestMethods.Config.class)
class LimitsIntegrationTests {

	/**
	 * A call that holds its place in the in-flight limit until its deadline, 1 s after it
	 * arrives, and can never finish sooner. The calls that fill the limit and the one
	 * beyond it go out in one TCP write, so the server reads them one after the other.
	 */
	private static final String SLEEP_PAST_THE_DEADLINE = """
			{"request_id": "%s", "action": "sleep", "params": {"ms": 5000}}""";

	@LocalServerPort
	private int port;

	@Test
	void callBeyondTheInFlightLimitIsOverloadedAtOnce() throws IOException {
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/ws")) {
			client.sendText(SLEEP_PAST_THE_DEADLINE.formatted("s1"), SLEEP_PAST_THE_DEADLINE.formatted("s2"), """
					{"request_id": "third", "action": "ping"}""");
			assertThat(json(client.nextText())).isEqualTo(
					json("""
							{"request_id": "third", "status": "error", "error": {"code": "overloaded",
							"message": "This connection already has 2 calls running; wait for their replies before sending more."}}"""));
			assertThat(List.of(json(client.nextText()), json(client.nextText())))
				.containsExactlyInAnyOrder(timedOut("s1"), timedOut("s2"));
			client.sendText("""
					{"request_id": "again", "action": "ping"}""");
			assertThat(json(client.nextText())).isEqualTo(json("""
					{"request_id": "again", "status": "ok", "result": "pong"}"""));
		}
	}

	@Test
	void clientThatWaitsForItsRepliesBeforeSendingMoreIsNeverOverloaded() throws IOException {
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/ws")) {
			for (int round = 0; round < 200; round++) {
				client.sendText("""
						{"request_id": 1, "action": "sleep", "params": {"ms": 0}}""", """
						{"request_id": 2, "action": "sleep", "params": {"ms": 0}}""");
				assertThat(List.of(json(client.nextText()), json(client.nextText()))).as("replies of round %d", round)
					.containsExactlyInAnyOrder(json("""
							{"request_id": 1, "status": "ok", "result": 0}"""), json("""
							{"request_id": 2, "status": "ok", "result": 0}"""));
			}
		}
	}

	@Test
	void rpcCancelIsNeverRefusedByTheInFlightLimit() throws IOException {
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/ws")) {
			client.sendText(SLEEP_PAST_THE_DEADLINE.formatted("s1"), SLEEP_PAST_THE_DEADLINE.formatted("s2"), """
					{"request_id": "c", "action": "rpc.cancel", "params": {"request_id": "s1"}}""");
			assertThat(List.of(json(client.nextText()), json(client.nextText()))).containsExactlyInAnyOrder(json("""
					{"request_id": "s1", "status": "error", "error": {"code": "cancelled",
					"message": "The call was cancelled by its client."}}"""), json("""
					{"request_id": "c", "status": "ok", "result": true}"""));
			assertThat(json(client.nextText())).isEqualTo(timedOut("s2"));
		}
	}

	@Test
	void limitIsPerConnection() throws IOException {
		try (RawWebSocket busy = RawWebSocket.connect(this.port, "/ws");
				TestClient other = TestClient.connect(this.port, "/ws")) {
			busy.sendText(SLEEP_PAST_THE_DEADLINE.formatted("s1"), SLEEP_PAST_THE_DEADLINE.formatted("s2"), """
					{"request_id": "third", "action": "ping"}""");
			assertThat(json(busy.nextText()).at("/error/code").asString()).isEqualTo("overloaded");
			assertThat(other.call("""
					{"request_id": "free", "action": "ping"}""")).isEqualTo(json("""
					{"request_id": "free", "status": "ok", "result": "pong"}"""));
		}
	}

	@Test
	void callPastTheDeadlineGetsTimeoutAndItsResultIsDropped() throws InterruptedException {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			JsonNode reply = client.call("""
					{"request_id": "t", "action": "sleep", "params": {"ms": 3000}}""");
			assertThat(reply.get("request_id").asString()).isEqualTo("t");
			assertThat(reply.at("/error/code").asString()).isEqualTo("timeout");
			JsonNode stage = client.call("""
					{"request_id": "t2", "action": "test.later", "params": {"ms": 2500}}""");
			assertThat(stage.at("/error/code").asString()).isEqualTo("timeout");
			client.assertNoMessageWithin(Duration.ofMillis(1800));
			assertThat(client.call("""
					{"request_id": "after", "action": "ping"}""").get("result").asString()).isEqualTo("pong");
		}
	}

	@Test
	void jsonRpcUsesServerErrorCodesForTimeoutAndOverload() throws IOException {
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/jsonrpc")) {
			client.sendText("""
					{"jsonrpc": "2.0", "method": "sleep", "params": {"ms": 5000}, "id": 1}""", """
					{"jsonrpc": "2.0", "method": "sleep", "params": {"ms": 5000}, "id": 2}""", """
					{"jsonrpc": "2.0", "method": "ping", "id": 3}""");
			assertThat(json(client.nextText())).isEqualTo(
					json("""
							{"jsonrpc": "2.0", "error": {"code": -32002,
							"message": "This connection already has 2 calls running; wait for their replies before sending more.",
							"data": {"code": "overloaded"}}, "id": 3}"""));
			JsonNode timeout = json(client.nextText());
			assertThat(timeout.at("/error/code").asInt()).isEqualTo(-32001);
			assertThat(timeout.at("/error/data/code").asString()).isEqualTo("timeout");
		}
	}

	private static JsonNode timedOut(String requestId) {
		return json("""
				{"request_id": "%s", "status": "error", "error": {"code": "timeout",
				"message": "The call did not finish within 1000 ms; its result will be dropped."}}"""
			.formatted(requestId));
	}

}
