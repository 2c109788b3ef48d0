package io.wsrpc.pubsub;

import java.time.Duration;
import java.util.Map;

import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "wsrpc.pubsub.max-subscriptions=3")
class PubSubIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private EventPublisher events;

	@Test
	void eventPublishedOnOneEndpointReachesSubscribersOnBoth() throws Exception {
		try (TestClient native1 = TestClient.connect(this.port, "/ws");
				TestClient jsonRpc = TestClient.connect(this.port, "/jsonrpc")) {
			assertThat(native1.call("""
					{"request_id": 1, "action": "subscribe", "params": {"topic": "chat.lobby"}}""")).isEqualTo(json("""
					{"request_id": 1, "status": "ok", "result": true}"""));
			assertThat(jsonRpc.call("""
					{"jsonrpc": "2.0", "method": "subscribe", "params": ["chat.lobby"], "id": 1}""")
				.get("result")
				.asBoolean()).isTrue();

			jsonRpc
				.send("""
						{"jsonrpc": "2.0", "method": "publish", "params": {"topic": "chat.lobby", "data": {"text": "hi"}}, "id": 2}""");
			// the publisher subscribes too: its event and its result may come in either
			// order
			assertThat(java.util.List.of(jsonRpc.nextMessage(), jsonRpc.nextMessage())).containsExactlyInAnyOrder(
					json("""
							{"jsonrpc": "2.0", "result": 2, "id": 2}"""),
					json("""
							{"jsonrpc": "2.0", "method": "event", "params": {"topic": "chat.lobby", "data": {"text": "hi"}}}"""));
			assertThat(native1.nextMessage()).isEqualTo(json("""
					{"event": "chat.lobby", "data": {"text": "hi"}}"""));
		}
	}

	@Test
	void wildcardSubscriptionReceivesEveryTopicBelowItsPrefix() throws Exception {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			client.call("""
					{"request_id": 1, "action": "subscribe", "params": {"topic": "prices.*"}}""");
			assertThat(this.events.publish("prices.eur.usd", Map.of("bid", 1.08))).isEqualTo(1);
			assertThat(this.events.publish("pricesX", 1)).isZero();
			assertThat(this.events.publish("prices", 1)).isZero();
			assertThat(client.nextMessage()).isEqualTo(json("""
					{"event": "prices.eur.usd", "data": {"bid": 1.08}}"""));
			client.assertNoMessageWithin(Duration.ofMillis(200));
		}
	}

	@Test
	void unsubscribedConnectionGetsNoMoreEvents() throws Exception {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			client.call("""
					{"request_id": 1, "action": "subscribe", "params": {"topic": "news"}}""");
			assertThat(client.call("""
					{"request_id": 2, "action": "unsubscribe", "params": {"topic": "news"}}""")
				.get("result")
				.asBoolean()).isTrue();
			assertThat(this.events.publish("news", "x")).isZero();
			client.assertNoMessageWithin(Duration.ofMillis(200));
		}
	}

	@Test
	void closedConnectionsLoseTheirSubscriptions() throws Exception {
		TestClient client = TestClient.connect(this.port, "/ws");
		client.call("""
				{"request_id": 1, "action": "subscribe", "params": {"topic": "gone"}}""");
		client.close();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (this.events.publish("gone", 1) > 0 && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(this.events.publish("gone", 1)).isZero();
	}

	@Test
	void badTopicNamesAndTooManySubscriptionsAreRefused() {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			assertThat(client.call("""
					{"request_id": 1, "action": "subscribe", "params": {"topic": "has space"}}""")
				.at("/error/code")
				.asString()).isEqualTo("invalid_params");
			assertThat(client.call("""
					{"request_id": 2, "action": "publish", "params": {"topic": "a.*", "data": 1}}""")
				.at("/error/code")
				.asString()).isEqualTo("invalid_params");
			for (int i = 0; i < 3; i++) {
				assertThat(client
					.call("{\"request_id\": \"s" + i + "\", \"action\": \"subscribe\", \"params\": {\"topic\": \"t" + i
							+ "\"}}")
					.get("status")
					.asString()).isEqualTo("ok");
			}
			assertThat(client.call("""
					{"request_id": 9, "action": "subscribe", "params": {"topic": "t9"}}""")
				.at("/error/code")
				.asString()).isEqualTo("too_many_subscriptions");
		}
	}

}
