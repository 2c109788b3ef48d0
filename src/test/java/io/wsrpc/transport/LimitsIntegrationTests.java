package io.wsrpc.transport;

import java.time.Duration;

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

	@LocalServerPort
	private int port;

	@Test
	void callBeyondTheInFlightLimitIsOverloadedAtOnce() {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			client.send("""
					{"request_id": "s1", "action": "sleep", "params": {"ms": 600}}""");
			client.send("""
					{"request_id": "s2", "action": "sleep", "params": {"ms": 600}}""");
			JsonNode third = client.call("""
					{"request_id": "third", "action": "ping"}""");
			assertThat(third.get("request_id").asString()).isEqualTo("third");
			assertThat(third.at("/error/code").asString()).isEqualTo("overloaded");
			assertThat(client.nextMessage().get("status").asString()).isEqualTo("ok");
			assertThat(client.nextMessage().get("status").asString()).isEqualTo("ok");
			assertThat(client.call("""
					{"request_id": "again", "action": "ping"}""").get("result").asString()).isEqualTo("pong");
		}
	}

	@Test
	void limitIsPerConnection() {
		try (TestClient busy = TestClient.connect(this.port, "/ws");
				TestClient other = TestClient.connect(this.port, "/ws")) {
			busy.send("""
					{"request_id": "s1", "action": "sleep", "params": {"ms": 500}}""");
			busy.send("""
					{"request_id": "s2", "action": "sleep", "params": {"ms": 500}}""");
			assertThat(other.call("""
					{"request_id": "free", "action": "ping"}""").get("result").asString()).isEqualTo("pong");
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
	void jsonRpcUsesServerErrorCodesForTimeoutAndOverload() {
		try (TestClient client = TestClient.connect(this.port, "/jsonrpc")) {
			client.send("""
					{"jsonrpc": "2.0", "method": "sleep", "params": {"ms": 3000}, "id": 1}""");
			client.send("""
					{"jsonrpc": "2.0", "method": "sleep", "params": {"ms": 3000}, "id": 2}""");
			JsonNode overloaded = client.call("""
					{"jsonrpc": "2.0", "method": "ping", "id": 3}""");
			assertThat(overloaded.get("id")).isEqualTo(json("3"));
			assertThat(overloaded.at("/error/code").asInt()).isEqualTo(-32002);
			assertThat(overloaded.at("/error/data/code").asString()).isEqualTo("overloaded");
			JsonNode timeout = client.nextMessage();
			assertThat(timeout.at("/error/code").asInt()).isEqualTo(-32001);
			assertThat(timeout.at("/error/data/code").asString()).isEqualTo("timeout");
		}
	}

}
