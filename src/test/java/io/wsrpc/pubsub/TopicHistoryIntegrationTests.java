package io.wsrpc.pubsub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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

/**
 * Offsets, epochs, history and recovery with the memory broker. Topics below
 * {@code volatile.} keep no history; those below {@code brief.} keep it for 300 ms.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "wsrpc.pubsub.rules[0].pattern=volatile.*", "wsrpc.pubsub.rules[0].history-size=0",
				"wsrpc.pubsub.rules[1].pattern=brief.*", "wsrpc.pubsub.rules[1].history-ttl=300ms" })
class TopicHistoryIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private EventPublisher events;

	@Autowired
	private Subscriptions subscriptions;

	@Test
	void resubscribingWithSinceReplaysEveryMissedEventInOrderBeforeTheReplyAndThenLiveOnes() {
		JsonNode first;
		JsonNode position;
		try (TestClient left = TestClient.connect(this.port, "/ws")) {
			position = subscribe(left, "room.1", null).get("result");
			this.events.publish("room.1", Map.of("n", 1));
			first = left.nextMessage();
		}
		long offset = position.get("offset").asLong() + 1;
		String epoch = position.get("epoch").asString();
		assertThat(first).isEqualTo(json("""
				{"event": "room.1", "data": {"n": 1}, "offset": %d}""".formatted(offset)));
		for (int n = 2; n <= 101; n++) {
			this.events.publish("room.1", Map.of("n", n));
		}
		try (TestClient back = TestClient.connect(this.port, "/ws")) {
			back.send(subscribeRequest("room.1", offset, epoch));
			for (int n = 2; n <= 101; n++) {
				assertThat(back.nextMessage()).isEqualTo(json("""
						{"event": "room.1", "data": {"n": %d}, "offset": %d}""".formatted(n, offset + n - 1)));
			}
			assertThat(back.nextMessage()).isEqualTo(
					json("""
							{"request_id": "s", "status": "ok", "result": {"new": true, "offset": %d, "epoch": "%s", "recovered": true}}"""
						.formatted(offset + 100, epoch)));
			this.events.publish("room.1", Map.of("n", 102));
			assertThat(back.nextMessage()).isEqualTo(json("""
					{"event": "room.1", "data": {"n": 102}, "offset": %d}""".formatted(offset + 101)));
		}
	}

	@Test
	void jsonRpcSubscriberRecoversWithNotificationsCarryingOffsets() {
		long offset;
		String epoch;
		try (TestClient left = TestClient.connect(this.port, "/jsonrpc")) {
			JsonNode position = left.call("""
					{"jsonrpc": "2.0", "id": 1, "method": "subscribe", "params": {"topic": "room.2"}}""").get("result");
			offset = position.get("offset").asLong();
			epoch = position.get("epoch").asString();
		}
		this.events.publish("room.2", "a");
		this.events.publish("room.2", "b");
		try (TestClient back = TestClient.connect(this.port, "/jsonrpc")) {
			back.send(
					"""
							{"jsonrpc": "2.0", "id": 2, "method": "subscribe", "params": {"topic": "room.2", "since": {"offset": %d, "epoch": "%s"}}}"""
						.formatted(offset, epoch));
			assertThat(List.of(back.nextMessage(), back.nextMessage(), back.nextMessage())).containsExactly(
					json("""
							{"jsonrpc": "2.0", "method": "event", "params": {"topic": "room.2", "data": "a", "offset": %d}}"""
						.formatted(offset + 1)),
					json("""
							{"jsonrpc": "2.0", "method": "event", "params": {"topic": "room.2", "data": "b", "offset": %d}}"""
						.formatted(offset + 2)),
					json("""
							{"jsonrpc": "2.0", "id": 2, "result": {"new": true, "offset": %d, "epoch": "%s", "recovered": true}}"""
						.formatted(offset + 2, epoch)));
		}
	}

	@Test
	void moreMissedEventsThanTheHistoryHoldsAreNotRecoveredAndLiveEventsStillFlow() throws Exception {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			JsonNode position = subscribe(client, "room.3", null).get("result");
			long offset = position.get("offset").asLong();
			String epoch = position.get("epoch").asString();
			unsubscribe(client, "room.3");
			for (int n = 1; n <= 1000; n++) {
				this.events.publish("room.3", n);
			}
			assertThat(subscribe(client, "room.3", new Since(offset, epoch))).isEqualTo(
					json("""
							{"request_id": "s", "status": "ok", "result": {"new": true, "offset": %d, "epoch": "%s", "recovered": false}}"""
						.formatted(offset + 1000, epoch)));
			this.events.publish("room.3", 1001);
			assertThat(client.nextMessage()).isEqualTo(json("""
					{"event": "room.3", "data": 1001, "offset": %d}""".formatted(offset + 1001)));
			client.assertNoMessageWithin(Duration.ofMillis(100));
		}
	}

	@Test
	void sinceWithAnotherEpochOrAnOffsetNotYetPublishedIsNotRecovered() throws Exception {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			JsonNode position = subscribe(client, "room.4", null).get("result");
			unsubscribe(client, "room.4");
			this.events.publish("room.4", 1);
			long offset = position.get("offset").asLong();
			assertThat(
					subscribe(client, "room.4", new Since(offset, "000000000000")).at("/result/recovered").asBoolean())
				.isFalse();
			unsubscribe(client, "room.4");
			assertThat(subscribe(client, "room.4", new Since(offset + 5, position.get("epoch").asString()))
				.at("/result/recovered")
				.asBoolean()).isFalse();
			client.assertNoMessageWithin(Duration.ofMillis(100));
		}
	}

	@Test
	void subscribingAgainAnswersNotNewWithTheTopicsPositionAndReplaysNothing() throws Exception {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			JsonNode position = subscribe(client, "room.5", null).get("result");
			assertThat(subscribe(client, "room.5", new Since(0, position.get("epoch").asString())).get("result"))
				.isEqualTo(json("""
						{"new": false, "offset": %d, "epoch": "%s"}""".formatted(position.get("offset").asLong(),
						position.get("epoch").asString())));
			client.assertNoMessageWithin(Duration.ofMillis(100));
		}
	}

	@Test
	void sinceOnAWildcardIsInvalidParams() {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			assertThat(subscribe(client, "room.*", new Since(1, "abc"))).isEqualTo(json("""
					{"request_id": "s", "status": "error", "error": {"code": "invalid_params",
					"message": "Invalid params: 'since' cannot be used with a wildcard.",
					"details": [{"field": "since", "message": "must be absent for a wildcard subscription"}]}}"""));
		}
	}

	@Test
	void topicWithoutHistoryStillNumbersItsEventsButNeverRecovers() throws Exception {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			JsonNode position = subscribe(client, "volatile.ticks", null).get("result");
			long offset = position.get("offset").asLong();
			this.events.publish("volatile.ticks", 1);
			assertThat(client.nextMessage().get("offset").asLong()).isEqualTo(offset + 1);
			unsubscribe(client, "volatile.ticks");
			this.events.publish("volatile.ticks", 2);
			assertThat(subscribe(client, "volatile.ticks", new Since(offset + 1, position.get("epoch").asString()))
				.at("/result/recovered")
				.asBoolean()).isFalse();
			client.assertNoMessageWithin(Duration.ofMillis(100));
		}
	}

	@Test
	void eventsOlderThanTheHistoryTtlAreNoLongerReplayed() {
		long offset;
		String epoch;
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			JsonNode position = subscribe(client, "brief.news", null).get("result");
			offset = position.get("offset").asLong();
			epoch = position.get("epoch").asString();
		}
		this.events.publish("brief.news", 1);
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			try (TestClient client = TestClient.connect(this.port, "/ws")) {
				assertThat(
						subscribe(client, "brief.news", new Since(offset, epoch)).at("/result/recovered").asBoolean())
					.isFalse();
			}
		});
	}

	@Test
	void concurrentSubscribesUnsubscribesAndClosesLeaveExactlyTheRealSubscribers() throws Exception {
		int clients = 8;
		int pairs = 1250;
		ExecutorService threads = Executors.newFixedThreadPool(clients);
		List<TestClient> open = new ArrayList<>();
		try {
			List<CompletableFuture<Void>> done = new ArrayList<>();
			for (int c = 0; c < clients; c++) {
				TestClient client = TestClient.connect(this.port, "/ws");
				open.add(client);
				int index = c;
				done.add(CompletableFuture.runAsync(() -> {
					for (int i = 0; i < pairs; i++) {
						String topic = "race." + (i % 5);
						// one after the other: calls on one connection run concurrently
						client.call(subscribeRequest(topic, -1, null));
						client.call("""
								{"request_id": "u", "action": "unsubscribe", "params": {"topic": "%s"}}"""
							.formatted(topic));
					}
					// the odd clients end subscribed to race.0
					if (index % 2 == 1) {
						subscribe(client, "race.0", null);
					}
				}, threads));
			}
			CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
			assertThat(this.events.publish("race.0", "x")).isEqualTo(clients / 2);
			for (int t = 1; t < 5; t++) {
				assertThat(this.events.publish("race." + t, "x")).isZero();
			}
			// each closes right after a subscribe it does not wait for
			for (TestClient client : open) {
				client.send(subscribeRequest("race.1", -1, null));
				client.close();
			}
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(
						this.subscriptions.subscribers("race.0") + this.subscriptions.subscribers("race.1"))
					.isZero());
		}
		finally {
			open.forEach(TestClient::close);
			threads.shutdownNow();
		}
	}

	private static JsonNode subscribe(TestClient client, String topic, Since since) {
		return client.call(
				subscribeRequest(topic, (since != null) ? since.offset() : -1, (since != null) ? since.epoch() : null));
	}

	private static void unsubscribe(TestClient client, String topic) {
		assertThat(client.call("""
				{"request_id": "u", "action": "unsubscribe", "params": {"topic": "%s"}}""".formatted(topic))
			.get("result")
			.asBoolean()).isTrue();
	}

	private static String subscribeRequest(String topic, long offset, String epoch) {
		if (epoch == null) {
			return """
					{"request_id": "s", "action": "subscribe", "params": {"topic": "%s"}}""".formatted(topic);
		}
		return """
				{"request_id": "s", "action": "subscribe", "params": {"topic": "%s", "since": {"offset": %d, "epoch": "%s"}}}"""
			.formatted(topic, offset, epoch);
	}

}
