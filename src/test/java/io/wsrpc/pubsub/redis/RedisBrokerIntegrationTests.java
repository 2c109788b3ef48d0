package io.wsrpc.pubsub.redis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.WsrpcApplication;
import io.wsrpc.client.ClientOptions;
import io.wsrpc.client.ReconnectPolicy;
import io.wsrpc.client.RpcClient;
import io.wsrpc.pubsub.EventPublisher;
import io.wsrpc.pubsub.Since;
import io.wsrpc.support.RedisServer;
import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances on random ports against a real {@code redis-server}, shared by the tests.
 * A test that stops Redis starts it again before it ends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisBrokerIntegrationTests {

	/**
	 * How soon after Redis accepts connections again events cross instances again; the
	 * documentation (docs/pubsub.md) promises "within a second or two".
	 */
	private static final Duration RECOVERY = Duration.ofSeconds(3);

	/**
	 * An outage long enough for a reconnect delay that doubles on each failed attempt to
	 * grow past {@link #RECOVERY}.
	 */
	private static final Duration LONG_OUTAGE = Duration.ofSeconds(10);

	private RedisServer redis;

	private ConfigurableApplicationContext a;

	private ConfigurableApplicationContext b;

	@BeforeAll
	void startRedisAndTwoInstances() throws Exception {
		this.redis = RedisServer.start();
		this.a = start(this.redis.port());
		this.b = start(this.redis.port());
		awaitEventsCross(this.a, this.b, Duration.ofSeconds(10));
		awaitEventsCross(this.b, this.a, Duration.ofSeconds(10));
	}

	@AfterAll
	void stopInstancesAndRedis() throws Exception {
		if (this.a != null) {
			this.a.close();
		}
		if (this.b != null) {
			this.b.close();
		}
		if (this.redis != null) {
			this.redis.close();
		}
	}

	/**
	 * So that a test that failed while Redis was away leaves no outage to the next.
	 */
	@BeforeEach
	void eventsCrossBothWays() throws Exception {
		awaitEventsCross(this.a, this.b, Duration.ofSeconds(10));
		awaitEventsCross(this.b, this.a, Duration.ofSeconds(10));
	}

	@Test
	void eventReachesTheSubscribersOfEveryInstanceOnceEachWithTheSameOffset() throws Exception {
		try (TestClient onA = TestClient.connect(port(this.a), "/ws");
				TestClient onB = TestClient.connect(port(this.b), "/jsonrpc")) {
			JsonNode subscribedOnA = onA.call("""
					{"request_id": 1, "action": "subscribe", "params": {"topic": "chat.lobby"}}""").get("result");
			JsonNode subscribedOnB = onB.call("""
					{"jsonrpc": "2.0", "method": "subscribe", "params": ["chat.lobby"], "id": 1}""").get("result");
			assertThat(subscribedOnA.get("new").asBoolean()).isTrue();
			assertThat(subscribedOnA.get("offset").asLong()).isZero();
			assertThat(subscribedOnA.get("epoch").asString()).isNotEmpty();
			assertThat(subscribedOnA.has("recovered")).isFalse();
			assertThat(subscribedOnB).as("the topic as the other instance sees it").isEqualTo(subscribedOnA);

			onB.send("""
					{"jsonrpc": "2.0", "method": "publish", "params": ["chat.lobby", "from b"]}""");
			assertThat(onA.nextMessage()).isEqualTo(json("""
					{"event": "chat.lobby", "data": "from b", "offset": 1}"""));
			assertThat(onB.nextMessage()).isEqualTo(
					json("""
							{"jsonrpc": "2.0", "method": "event", "params": {"topic": "chat.lobby", "data": "from b", "offset": 1}}"""));
			onA.send("""
					{"request_id": 2, "action": "publish", "params": {"topic": "chat.lobby", "data": "from a"}}""");
			// the reply and the event take different paths
			assertThat(List.of(onA.nextMessage(), onA.nextMessage())).containsExactlyInAnyOrder(json("""
					{"event": "chat.lobby", "data": "from a", "offset": 2}"""), json("""
					{"request_id": 2, "status": "ok", "result": 1}"""));
			assertThat(onB.nextMessage()).isEqualTo(
					json("""
							{"jsonrpc": "2.0", "method": "event", "params": {"topic": "chat.lobby", "data": "from a", "offset": 2}}"""));
			onA.assertNoMessageWithin(Duration.ofMillis(300));
			onB.assertNoMessageWithin(Duration.ofMillis(100));
			assertThat(health(this.a)).isEqualTo("UP");
		}
	}

	@Test
	void eventsOnePublisherPublishesToOneTopicArriveInThatOrderWithConsecutiveOffsetsOnAnotherInstance()
			throws Exception {
		int count = 5_000;
		try (TestClient onB = TestClient.connect(port(this.b), "/ws")) {
			long subscribedAt = subscribe(onB, "ticks").get("offset").asLong();
			EventPublisher publisher = this.a.getBean(EventPublisher.class);
			for (int i = 0; i < count; i++) {
				publisher.publish("ticks", i);
			}
			int outOfOrder = 0;
			int offsetGaps = 0;
			int previous = -1;
			long previousOffset = subscribedAt;
			for (int i = 0; i < count; i++) {
				JsonNode event = onB.nextMessage();
				assertThat(event.get("event").asString()).isEqualTo("ticks");
				int number = event.get("data").asInt();
				if (number < previous) {
					outOfOrder++;
				}
				if (event.get("offset").asLong() != previousOffset + 1) {
					offsetGaps++;
				}
				previous = number;
				previousOffset = event.get("offset").asLong();
			}
			assertThat(outOfOrder).as("events that arrived after a later one").isZero();
			assertThat(offsetGaps).as("events whose offset is not one more than the one before").isZero();
			assertThat(previousOffset).isEqualTo(subscribedAt + count);
			onB.assertNoMessageWithin(Duration.ofMillis(200));
		}
	}

	@Test
	void subscriberThatLeftOneInstanceRecoversWhatItMissedOnTheOtherThenGetsLiveEvents() throws Exception {
		String topic = "recover." + UUID.randomUUID();
		EventPublisher onBPublisher = this.b.getBean(EventPublisher.class);
		long first;
		String epoch;
		try (TestClient onA = TestClient.connect(port(this.a), "/ws")) {
			epoch = subscribe(onA, topic).get("epoch").asString();
			onBPublisher.publish(topic, 1);
			JsonNode event = onA.nextMessage();
			assertThat(event.get("data").asInt()).isEqualTo(1);
			first = event.get("offset").asLong();
		}
		for (int i = 2; i <= 101; i++) {
			onBPublisher.publish(topic, i);
		}
		try (TestClient onB = TestClient.connect(port(this.b), "/ws")) {
			onB.send("{\"request_id\": 1, \"action\": \"subscribe\", \"params\": {\"topic\": \"" + topic
					+ "\", \"since\": {\"offset\": " + first + ", \"epoch\": \"" + epoch + "\"}}}");
			// replayed events come before the reply, live ones after it
			for (int i = 2; i <= 101; i++) {
				assertThat(onB.nextMessage()).isEqualTo(event(topic, i, first + i - 1));
			}
			assertThat(onB.nextMessage())
				.isEqualTo(json("{\"request_id\": 1, \"status\": \"ok\", \"result\": " + "{\"new\": true, \"offset\": "
						+ (first + 100) + ", \"epoch\": \"" + epoch + "\", \"recovered\": true}}"));
			onBPublisher.publish(topic, 102);
			assertThat(onB.nextMessage()).isEqualTo(event(topic, 102, first + 101));
			onB.assertNoMessageWithin(Duration.ofMillis(200));
		}
	}

	@Test
	void subscriberThatMissedMoreEventsThanHistoryHoldsIsNotRecoveredAndGetsLiveEvents() throws Exception {
		String topic = "recover." + UUID.randomUUID();
		EventPublisher onBPublisher = this.b.getBean(EventPublisher.class);
		Since read = readFirstEventAndLeave(this.a, topic, onBPublisher);
		for (int i = 2; i <= 1_001; i++) {
			onBPublisher.publish(topic, i);
		}
		try (TestClient onB = TestClient.connect(port(this.b), "/ws")) {
			assertThat(subscribeSince(onB, topic, read.offset(), read.epoch()))
				.isEqualTo(json("{\"new\": true, \"offset\": " + (read.offset() + 1000) + ", \"epoch\": \""
						+ read.epoch() + "\", \"recovered\": false}"));
			onBPublisher.publish(topic, 1_002);
			assertThat(onB.nextMessage()).isEqualTo(event(topic, 1_002, read.offset() + 1001));
			onB.assertNoMessageWithin(Duration.ofMillis(200));
		}
	}

	@Test
	void subscriberWithAnotherEpochIsNotRecovered() throws Exception {
		String topic = "recover." + UUID.randomUUID();
		EventPublisher onBPublisher = this.b.getBean(EventPublisher.class);
		Since read = readFirstEventAndLeave(this.a, topic, onBPublisher);
		onBPublisher.publish(topic, 2);
		try (TestClient onB = TestClient.connect(port(this.b), "/ws")) {
			JsonNode subscribed = subscribeSince(onB, topic, read.offset(), "not" + read.epoch());
			assertThat(subscribed.get("recovered").asBoolean()).isFalse();
			assertThat(subscribed.get("epoch").asString()).isEqualTo(read.epoch());
			assertThat(subscribed.get("offset").asLong()).isEqualTo(read.offset() + 1);
			onB.assertNoMessageWithin(Duration.ofMillis(200));
		}
	}

	@Test
	void topicWithoutHistoryIsNotRecoveredButItsEventsHaveOffsets() throws Exception {
		String topic = "nohistory." + UUID.randomUUID();
		EventPublisher onBPublisher = this.b.getBean(EventPublisher.class);
		Since read = readFirstEventAndLeave(this.a, topic, onBPublisher);
		onBPublisher.publish(topic, 2);
		try (TestClient onB = TestClient.connect(port(this.b), "/ws")) {
			JsonNode subscribed = subscribeSince(onB, topic, read.offset(), read.epoch());
			assertThat(subscribed.get("recovered").asBoolean()).isFalse();
			assertThat(subscribed.get("offset").asLong()).isEqualTo(read.offset() + 1);
			onBPublisher.publish(topic, 3);
			assertThat(onB.nextMessage()).isEqualTo(event(topic, 3, read.offset() + 2));
		}
	}

	@Test
	void flushingRedisStartsANewEpochAndSubscribersFromBeforeGetTheEventsAfter() throws Exception {
		String topic = "flushed." + UUID.randomUUID();
		EventPublisher onBPublisher = this.b.getBean(EventPublisher.class);
		try (TestClient onA = TestClient.connect(port(this.a), "/ws")) {
			String before = subscribe(onA, topic).get("epoch").asString();
			onBPublisher.publish(topic, 1);
			assertThat(onA.nextMessage()).isEqualTo(event(topic, 1, 1));
			onBPublisher.publish(topic, 2);
			assertThat(onA.nextMessage()).isEqualTo(event(topic, 2, 2));

			assertThat(this.redis.cli("FLUSHALL")).isEqualTo("OK");

			try (TestClient onB = TestClient.connect(port(this.b), "/ws")) {
				JsonNode subscribed = subscribe(onB, topic);
				assertThat(subscribed.get("epoch").asString()).isNotEqualTo(before);
				assertThat(subscribed.get("offset").asLong()).isZero();
				onBPublisher.publish(topic, 3);
				assertThat(onB.nextMessage()).isEqualTo(event(topic, 3, 1));
				assertThat(onA.nextMessage()).as("the event after the flush, to a subscriber from before it")
					.isEqualTo(event(topic, 3, 1));
			}
		}
	}

	@Test
	void whileRedisIsAwayLocalDeliveryGoesOnHealthIsDownAndFailedSendsAreCounted() throws Exception {
		try (TestClient onA = TestClient.connect(port(this.a), "/ws")) {
			onA.call("""
					{"request_id": 1, "action": "subscribe", "params": {"topic": "away"}}""");
			double failuresBefore = failures(this.a);
			this.redis.stop();
			try {
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(health(this.a)).isEqualTo("DOWN"));
				assertThat(json(get(this.a, "/actuator/health/readiness")).get("status").asString()).isEqualTo("UP");

				EventPublisher publisher = this.a.getBean(EventPublisher.class);
				for (int i = 0; i < 3; i++) {
					long start = System.nanoTime();
					assertThat(publisher.publish("away", i)).isEqualTo(1);
					assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to publish while Redis is away")
						.isLessThan(Duration.ofMillis(500));
					assertThat(onA.nextMessage()).isEqualTo(json("{\"event\": \"away\", \"data\": " + i + "}"));
				}
				assertThat(failures(this.a) - failuresBefore).isEqualTo(3);
			}
			finally {
				this.redis.restart();
			}
			awaitEventsCross(this.a, this.b, Duration.ofSeconds(10));
			awaitEventsCross(this.b, this.a, Duration.ofSeconds(10));
			assertThat(health(this.a)).isEqualTo("UP");
		}
	}

	@Test
	void whileRedisHangsPublishIsAnsweredWithinTwoSecondsAndLocalSubscribersGetTheEvent() throws Exception {
		String topic = "hung." + UUID.randomUUID();
		try (TestClient subscriber = TestClient.connect(port(this.a), "/ws");
				TestClient publisher = TestClient.connect(port(this.a), "/jsonrpc")) {
			subscribe(subscriber, topic);
			double failuresBefore = failures(this.a);
			this.redis.pause();
			try {
				long start = System.nanoTime();
				publisher.send("{\"jsonrpc\": \"2.0\", \"method\": \"publish\", \"params\": [\"" + topic
						+ "\", \"while hung\"], \"id\": 1}");
				assertThat(publisher.nextMessage()).isEqualTo(json("""
						{"jsonrpc": "2.0", "result": 1, "id": 1}"""));
				assertThat(subscriber.nextMessage())
					.isEqualTo(json("{\"event\": \"" + topic + "\", \"data\": \"while hung\"}"));
				assertThat(Duration.ofNanos(System.nanoTime() - start))
					.as("time to the reply and the event while Redis hangs")
					.isLessThan(Duration.ofSeconds(2));
				assertThat(failures(this.a) - failuresBefore).isEqualTo(1);
			}
			finally {
				this.redis.resume();
			}
		}
		awaitEventsCross(this.a, this.b, Duration.ofSeconds(10));
		awaitEventsCross(this.b, this.a, Duration.ofSeconds(10));
	}

	@Test
	void subscriptionsMadeWhileRedisHangsTakeEffectAndAreAnswered() throws Exception {
		String topic = "hung." + UUID.randomUUID();
		int topics = 4;
		try (TestClient subscriber = TestClient.connect(port(this.a), "/ws")) {
			this.redis.pause();
			try {
				for (int i = 0; i < topics; i++) {
					subscriber.send("{\"request_id\": " + i + ", \"action\": \"subscribe\", \"params\": {\"topic\": \""
							+ topic + i + "\"}}");
				}
				for (int i = 0; i < topics; i++) {
					JsonNode reply = subscriber.nextMessage();
					assertThat(reply.get("result")).as(reply.toString()).isEqualTo(json("""
							{"new": true}"""));
				}
			}
			finally {
				this.redis.resume();
			}
			eventsCrossBothWays();
			for (int i = 0; i < topics; i++) {
				this.b.getBean(EventPublisher.class).publish(topic + i, i);
				assertThat(subscriber.nextMessage().get("data").asInt()).isEqualTo(i);
			}
		}
	}

	@Test
	void instanceStartedWhileRedisIsDownServesCallsAndLocalEventsThenJoinsTheOthersWhenRedisReturns() throws Exception {
		this.redis.stop();
		ConfigurableApplicationContext late = null;
		try {
			try {
				late = start(this.redis.port());
				assertThat(health(late)).as("health, with the broker component").isEqualTo("DOWN");
				assertThat(json(get(late, "/actuator/health/readiness")).get("status").asString()).isEqualTo("UP");
				String topic = "late." + UUID.randomUUID();
				try (TestClient client = TestClient.connect(port(late), "/ws")) {
					assertThat(client.call("""
							{"request_id": 1, "action": "echo", "params": {"message": "hi"}}""")).isEqualTo(json("""
							{"request_id": 1, "status": "ok", "result": "hi"}"""));
					assertThat(subscribe(client, topic).get("new").asBoolean()).isTrue();
					long start = System.nanoTime();
					client.send("{\"request_id\": 2, \"action\": \"publish\", \"params\": {\"topic\": \"" + topic
							+ "\", \"data\": 1}}");
					assertThat(List.of(client.nextMessage(), client.nextMessage()))
						.containsExactlyInAnyOrder(json("{\"event\": \"" + topic + "\", \"data\": 1}"), json("""
								{"request_id": 2, "status": "ok", "result": 1}"""));
					assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
				}
			}
			finally {
				this.redis.restart();
			}
			try (TestClient local = TestClient.connect(port(late), "/ws")) {
				// while the instance reconnects to Redis, and after
				subscribe(local, "late.local");
				double failuresBefore = failures(late);
				EventPublisher publisher = late.getBean(EventPublisher.class);
				for (int i = 0; i < 40; i++) {
					publisher.publish("late.local", i);
					// spreads the events over the time it takes to listen again, not a
					// wait
					Thread.sleep(50);
				}
				int received = 0;
				while (local.pollMessage(Duration.ofMillis(500)) != null) {
					received++;
				}
				assertThat(received).as("events a local subscriber got").isEqualTo(40);
				assertThat(failures(late) - failuresBefore).as("events that did not reach Redis").isLessThan(40);
			}
			awaitEventsCross(late, this.a, Duration.ofSeconds(10));
			awaitEventsCross(this.a, late, Duration.ofSeconds(10));
			ConfigurableApplicationContext joined = late;
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(health(joined)).isEqualTo("UP"));
		}
		finally {
			if (late != null) {
				late.close();
			}
		}
		awaitEventsCross(this.a, this.b, Duration.ofSeconds(10));
		awaitEventsCross(this.b, this.a, Duration.ofSeconds(10));
	}

	@Test
	void eventsCrossInstancesAgainWithinThreeSecondsOfRedisReturningAfterALongOutage() throws Exception {
		this.redis.stop();
		try {
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(health(this.a)).isEqualTo("DOWN"));
			// the outage itself, not a wait for a condition
			Thread.sleep(LONG_OUTAGE.toMillis());
		}
		finally {
			this.redis.restart();
		}
		long back = System.nanoTime();
		awaitEventsCross(this.b, this.a, RECOVERY);
		awaitEventsCross(this.a, this.b, RECOVERY);
		assertThat(Duration.ofNanos(System.nanoTime() - back)).as("time until events crossed both ways again")
			.isLessThanOrEqualTo(RECOVERY);
		assertThat(health(this.a)).isEqualTo("UP");
		assertThat(health(this.b)).isEqualTo("UP");
	}

	/**
	 * Publishes on one instance, again and again, until a subscriber on the other gets an
	 * event.
	 */
	@Test
	void subscriberThatMovesOnTheDrainingNoticeGetsEveryEventOnceInOrder() throws Exception {
		ConfigurableApplicationContext c = start(this.redis.port());
		int count = 200;
		List<Integer> received = new ArrayList<>();
		List<Long> offsets = new ArrayList<>();
		Thread publisher = null;
		try {
			TestClient onC = TestClient.connect(port(c), "/ws");
			JsonNode position = onC.call("""
					{"request_id": 1, "action": "subscribe", "params": {"topic": "handover.feed"}}""").get("result");
			String epoch = position.get("epoch").asString();
			EventPublisher events = this.b.getBean(EventPublisher.class);
			publisher = publishEvery10Ms(events, "handover.feed", count);
			// by hand, what a client does: read C until its notice, then move to B with
			// the last offset it has
			CompletableFuture<Void> closing = null;
			while (true) {
				JsonNode message = onC.nextMessage();
				if ("$server.draining".equals(message.path("event").asString())) {
					break;
				}
				received.add(message.get("data").asInt());
				offsets.add(message.get("offset").asLong());
				if (received.size() == 50) {
					closing = CompletableFuture.runAsync(c::close, (task) -> new Thread(task, "close-c").start());
				}
			}
			onC.close();
			long last = offsets.isEmpty() ? position.get("offset").asLong() : offsets.get(offsets.size() - 1);
			try (TestClient onB = TestClient.connect(port(this.b), "/ws")) {
				onB.send(
						"""
								{"request_id": 2, "action": "subscribe", "params": {"topic": "handover.feed", "since": {"offset": %d, "epoch": "%s"}}}"""
							.formatted(last, epoch));
				while (received.size() < count) {
					JsonNode message = onB.nextMessage();
					if (message.has("request_id")) {
						assertThat(message.at("/result/recovered").asBoolean()).isTrue();
						continue;
					}
					received.add(message.get("data").asInt());
					offsets.add(message.get("offset").asLong());
				}
				onB.assertNoMessageWithin(Duration.ofMillis(200));
			}
			closing.get(10, TimeUnit.SECONDS);
		}
		finally {
			if (publisher != null) {
				publisher.interrupt();
				publisher.join();
			}
			c.close();
		}
		assertEveryEventOnceInOrder(received, offsets, count);
	}

	@Test
	void javaClientWithBothUrlsMovesOnShutdownAndGetsEveryEventOnceInOrder() throws Exception {
		ConfigurableApplicationContext c = start(this.redis.port());
		int count = 200;
		List<Integer> received = new CopyOnWriteArrayList<>();
		List<Long> offsets = new CopyOnWriteArrayList<>();
		Thread publisher = null;
		ClientOptions options = ClientOptions.defaults().withReconnect(ReconnectPolicy.defaults());
		try (RpcClient client = RpcClient.connect(List.of(URI.create("ws://localhost:" + port(c) + "/ws"),
				URI.create("ws://localhost:" + port(this.b) + "/ws")), options)) {
			client.subscribe("handover.java", (event) -> {
				received.add(event.data().asInt());
				offsets.add(event.offset());
			}).get(10, TimeUnit.SECONDS);
			EventPublisher events = this.b.getBean(EventPublisher.class);
			publisher = publishEvery10Ms(events, "handover.java", count);
			await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 50);
			c.close();
			await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= count);
			publisher.join();
		}
		finally {
			if (publisher != null) {
				publisher.interrupt();
				publisher.join();
			}
			c.close();
		}
		assertEveryEventOnceInOrder(received, offsets, count);
	}

	/**
	 * Publishes the numbers 1 to count to a topic, one every 10 ms, on a thread of its
	 * own.
	 */
	private static Thread publishEvery10Ms(EventPublisher events, String topic, int count) {
		Thread publisher = new Thread(() -> {
			for (int n = 1; n <= count; n++) {
				events.publish(topic, n);
				try {
					Thread.sleep(10);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "publisher");
		publisher.start();
		return publisher;
	}

	private static void assertEveryEventOnceInOrder(List<Integer> received, List<Long> offsets, int count) {
		assertThat(received).containsExactlyElementsOf(IntStream.rangeClosed(1, count).boxed().toList());
		for (int i = 1; i < offsets.size(); i++) {
			assertThat(offsets.get(i)).as("offset of event %d", i + 1).isEqualTo(offsets.get(i - 1) + 1);
		}
	}

	private static void awaitEventsCross(ConfigurableApplicationContext from, ConfigurableApplicationContext to,
			Duration within) throws Exception {
		String topic = "probe." + UUID.randomUUID();
		try (TestClient subscriber = TestClient.connect(port(to), "/ws")) {
			subscriber
				.call("{\"request_id\": 1, \"action\": \"subscribe\", \"params\": {\"topic\": \"" + topic + "\"}}");
			EventPublisher publisher = from.getBean(EventPublisher.class);
			await().atMost(within)
				.pollInterval(Duration.ZERO)
				.alias("an event published on one instance reaching the other")
				.until(() -> {
					publisher.publish(topic, "probe");
					return subscriber.pollMessage(Duration.ofMillis(50)) != null;
				});
		}
	}

	/**
	 * Subscribes on one instance, reads the first event of the topic, published by
	 * {@code publisher}, and closes the connection.
	 * @return where the subscriber left the topic
	 */
	private static Since readFirstEventAndLeave(ConfigurableApplicationContext on, String topic,
			EventPublisher publisher) {
		try (TestClient client = TestClient.connect(port(on), "/ws")) {
			String epoch = subscribe(client, topic).get("epoch").asString();
			publisher.publish(topic, 1);
			JsonNode event = client.nextMessage();
			assertThat(event.get("data").asInt()).isEqualTo(1);
			return new Since(event.get("offset").asLong(), epoch);
		}
	}

	/**
	 * Subscribes on {@code /ws}.
	 * @return the result of the reply
	 */
	private static JsonNode subscribe(TestClient client, String topic) {
		JsonNode reply = client
			.call("{\"request_id\": \"s\", \"action\": \"subscribe\", \"params\": {\"topic\": \"" + topic + "\"}}");
		assertThat(reply.get("status").asString()).as(reply.toString()).isEqualTo("ok");
		return reply.get("result");
	}

	/**
	 * Subscribes on {@code /ws} with {@code since}, expecting no event before the reply.
	 * @return the result of the reply
	 */
	private static JsonNode subscribeSince(TestClient client, String topic, long offset, String epoch) {
		JsonNode reply = client.call("{\"request_id\": \"s\", \"action\": \"subscribe\", \"params\": {\"topic\": \""
				+ topic + "\", \"since\": {\"offset\": " + offset + ", \"epoch\": \"" + epoch + "\"}}}");
		assertThat(reply.has("event")).as("an event replayed before the reply: " + reply).isFalse();
		assertThat(reply.get("status").asString()).as(reply.toString()).isEqualTo("ok");
		return reply.get("result");
	}

	private static JsonNode event(String topic, int data, long offset) {
		return json("{\"event\": \"" + topic + "\", \"data\": " + data + ", \"offset\": " + offset + "}");
	}

	private static ConfigurableApplicationContext start(int redisPort) {
		return new SpringApplicationBuilder(WsrpcApplication.class)
			.properties("server.port=0", "wsrpc.broker=redis", "spring.data.redis.port=" + redisPort,
					"spring.data.redis.timeout=1s", "wsrpc.shutdown-timeout=100ms",
					"wsrpc.pubsub.rules[0].pattern=nohistory.*", "wsrpc.pubsub.rules[0].history-size=0")
			.run();
	}

	private static double failures(ConfigurableApplicationContext context) {
		return context.getBean(MeterRegistry.class).counter("rpc.pubsub.broker.failures").count();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static String health(ConfigurableApplicationContext context) throws Exception {
		JsonNode health = json(get(context, "/actuator/health"));
		return health.get("status").asString();
	}

	private static String get(ConfigurableApplicationContext context, String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port(context) + path)).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
	}

}
