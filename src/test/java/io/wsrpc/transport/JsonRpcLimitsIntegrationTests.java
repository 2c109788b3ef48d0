package io.wsrpc.transport;

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

/**
 * The in-flight limit on {@code /jsonrpc}, where one message may hold many calls. Same
 * settings as {@link LimitsIntegrationTests}, so the two share one server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "wsrpc.max-in-flight=2", "wsrpc.call-timeout=1s" })
@Import(TestMethods.Config.class)
class JsonRpcLimitsIntegrationTests {

	@LocalServerPort
	private int port;

	@Test
	void everyCallOfABatchCountsAgainstTheInFlightLimit() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					[
					  {"jsonrpc": "2.0", "method": "sleep", "params": {"ms": 300}, "id": 1},
					  {"jsonrpc": "2.0", "method": "sleep", "params": {"ms": 300}, "id": 2},
					  {"jsonrpc": "2.0", "method": "sleep", "params": {"ms": 300}, "id": 3},
					  {"jsonrpc": "2.0", "method": "ping", "id": 4}
					]""");

			assertThat(reply).hasSize(4);
			assertThat(reply.get(0)).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": 300, "id": 1}"""));
			assertThat(reply.get(1)).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": 300, "id": 2}"""));
			assertThat(JsonRpcIntegrationTests.withoutMessage(reply.get(2))).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32002, "data": {"code": "overloaded"}}, "id": 3}"""));
			assertThat(JsonRpcIntegrationTests.withoutMessage(reply.get(3))).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32002, "data": {"code": "overloaded"}}, "id": 4}"""));
			JsonRpcIntegrationTests.assertConnectionStillAnswers(client);
		}
	}

	@Test
	void batchSharesTheInFlightLimitWithSeparateRequests() {
		try (TestClient client = connect()) {
			client.send("""
					{"jsonrpc": "2.0", "method": "sleep", "params": {"ms": 600}, "id": "single"}""");
			JsonNode batch = client.call("""
					[
					  {"jsonrpc": "2.0", "method": "sleep", "params": {"ms": 200}, "id": "first"},
					  {"jsonrpc": "2.0", "method": "ping", "id": "second"}
					]""");

			assertThat(batch).hasSize(2);
			assertThat(batch.get(0)).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": 200, "id": "first"}"""));
			assertThat(JsonRpcIntegrationTests.withoutMessage(batch.get(1))).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32002, "data": {"code": "overloaded"}}, "id": "second"}"""));
			assertThat(client.nextMessage()).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": 600, "id": "single"}"""));
		}
	}

	private TestClient connect() {
		return TestClient.connect(this.port, "/jsonrpc");
	}

}
