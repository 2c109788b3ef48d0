package io.wsrpc.pubsub;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "wsrpc.pubsub.max-subscriptions=3", "wsrpc.send-buffer-size=64KB" })
class PubSubIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private EventPublisher events;

	@Autowired
	private MeterRegistry meterRegistry;

	@Test
	void eventPublishedOnOneEndpointReachesSubscribersOnBothWithTheTopicsNextOffset() throws Exception {
		try (TestClient native1 = TestClient.connect(this.port, "/ws");
				TestClient jsonRpc = TestClient.connect(this.port, "/jsonrpc")) {
			JsonNode subscribed = native1.call("""
					{"request_id": 1, "action": "subscribe", "params": {"topic": "chat.lobby"}}""");
			assertThat(subscribed.get("result").propertyNames()).containsExactlyInAnyOrder("new", "offset", "epoch");
			assertThat(subscribed.at("/result/new").asBoolean()).isTrue();
			assertThat(subscribed.at("/result/epoch").asString()).matches("[0-9a-f]{12}");
			long offset = subscribed.at("/result/offset").asLong();
			assertThat(jsonRpc.call("""
					{"jsonrpc": "2.0", "method": "subscribe", "params": ["chat.lobby"], "id": 1}""").get("result"))
				.isEqualTo(subscribed.get("result"));

			jsonRpc
				.send("""
						{"jsonrpc": "2.0", "method": "publish", "params": {"topic": "chat.lobby", "data": {"text": "hi"}}, "id": 2}""");
			// the publisher subscribes too: its event and its result may come in either
			// order
			assertThat(java.util.List.of(jsonRpc.nextMessage(), jsonRpc.nextMessage())).containsExactlyInAnyOrder(
					json("""
							{"jsonrpc": "2.0", "result": 2, "id": 2}"""),
					json("""
							{"jsonrpc": "2.0", "method": "event", "params": {"topic": "chat.lobby", "data": {"text": "hi"}, "offset": %d}}"""
						.formatted(offset + 1)));
			assertThat(native1.nextMessage()).isEqualTo(json("""
					{"event": "chat.lobby", "data": {"text": "hi"}, "offset": %d}""".formatted(offset + 1)));
		}
	}

	@Test
	void wildcardSubscriptionReceivesEveryTopicBelowItsPrefixWithEachTopicsOwnOffsets() throws Exception {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			assertThat(client.call("""
					{"request_id": 1, "action": "subscribe", "params": {"topic": "prices.*"}}""")).isEqualTo(json("""
					{"request_id": 1, "status": "ok", "result": {"new": true}}"""));
			assertThat(this.events.publish("prices.eur.usd", Map.of("bid", 1.08))).isEqualTo(1);
			assertThat(this.events.publish("pricesX", 1)).isZero();
			assertThat(this.events.publish("prices", 1)).isZero();
			assertThat(this.events.publish("prices.eur.usd", Map.of("bid", 1.09))).isEqualTo(1);
			assertThat(this.events.publish("prices.gbp", 2)).isEqualTo(1);
			JsonNode first = client.nextMessage();
			long offset = first.get("offset").asLong();
			assertThat(first).isEqualTo(json("""
					{"event": "prices.eur.usd", "data": {"bid": 1.08}, "offset": %d}""".formatted(offset)));
			assertThat(client.nextMessage()).isEqualTo(json("""
					{"event": "prices.eur.usd", "data": {"bid": 1.09}, "offset": %d}""".formatted(offset + 1)));
			assertThat(client.nextMessage().get("offset").asLong()).isPositive();
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

	@Test
	void eventsOnePublisherPublishesToOneTopicArriveInThatOrder() {
		int count = 5_000;
		try (TestClient subscriber = TestClient.connect(this.port, "/ws");
				TestClient publisher = TestClient.connect(this.port, "/ws")) {
			subscriber.call("""
					{"request_id": 1, "action": "subscribe", "params": {"topic": "ticks"}}""");
			for (int i = 0; i < count; i++) {
				assertThat(publisher
					.call("{\"request_id\": " + i
							+ ", \"action\": \"publish\", \"params\": {\"topic\": \"ticks\", \"data\": " + i + "}}")
					.get("result")
					.asInt()).isEqualTo(1);
			}
			int outOfOrder = 0;
			int previous = -1;
			for (int i = 0; i < count; i++) {
				int number = subscriber.nextMessage().get("data").asInt();
				if (number < previous) {
					outOfOrder++;
				}
				previous = number;
			}
			assertThat(outOfOrder).as("events that arrived after a later one").isZero();
		}
	}

	@Test
	void subscriberThatDoesNotReadIsDroppedWithoutSlowingThePublisherOrTheOthers() throws Exception {
		double slowBefore = slowReaders();
		double closedBefore = closedWithPolicyViolation();
		CompletableFuture<String> subscribed = new CompletableFuture<>();
		WebSocket.Listener readsOneReplyOnly = new WebSocket.Listener() {

			@Override
			public void onOpen(WebSocket webSocket) {
				webSocket.request(1);
			}

			@Override
			public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
				subscribed.complete(data.toString());
				return null;
			}

		};
		WebSocket slow = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + this.port + "/ws"), readsOneReplyOnly)
			.join();
		try (TestClient other = TestClient.connect(this.port, "/ws")) {
			slow.sendText("""
					{"request_id": 1, "action": "subscribe", "params": {"topic": "feed"}}""", true).join();
			assertThat(json(subscribed.get(10, TimeUnit.SECONDS)).at("/result/new").asBoolean()).isTrue();
			other.call("""
					{"request_id": 1, "action": "subscribe", "params": {"topic": "feed"}}""");

			String data = "x".repeat(32 * 1024);
			int published = 0;
			while (slowReaders() == slowBefore) {
				assertThat(published).as("events published before the subscriber that does not read was dropped")
					.isLessThan(2_000);
				long start = System.nanoTime();
				this.events.publish("feed", Map.of("n", published, "data", data));
				assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to publish event %d", published)
					.isLessThan(Duration.ofSeconds(1));
				JsonNode event = other.pollMessage(Duration.ofSeconds(1));
				assertThat(event).as("event %d at the subscriber that reads, within a second", published).isNotNull();
				assertThat(event.at("/data/n").asInt()).isEqualTo(published);
				published++;
			}
			assertThat(slowReaders() - slowBefore).isEqualTo(1);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(closedWithPolicyViolation() - closedBefore).isEqualTo(1));
			assertThat(this.events.publish("feed", Map.of("n", published))).isEqualTo(1);
		}
		finally {
			slow.abort();
		}
	}

	private double slowReaders() {
		return this.meterRegistry.counter("rpc.server.connections.slow").count();
	}

	private double closedWithPolicyViolation() {
		return this.meterRegistry.counter("rpc.server.connections.closed", "protocol", "ws", "code", "1008").count();
	}

}
