package io.wsrpc.pubsub.redis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.WsrpcApplication;
import io.wsrpc.pubsub.EventPublisher;
import io.wsrpc.support.RedisServer;
import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
	 * README promises "within a second or two".
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

	@Test
	void eventReachesTheSubscribersOfEveryInstanceOnceEach() throws Exception {
		try (TestClient onA = TestClient.connect(port(this.a), "/ws");
				TestClient onB = TestClient.connect(port(this.b), "/jsonrpc")) {
			onA.call("""
					{"request_id": 1, "action": "subscribe", "params": {"topic": "chat.lobby"}}""");
			onB.call("""
					{"jsonrpc": "2.0", "method": "subscribe", "params": ["chat.lobby"], "id": 1}""");

			onB.send("""
					{"jsonrpc": "2.0", "method": "publish", "params": ["chat.lobby", "from b"]}""");
			assertThat(onA.nextMessage()).isEqualTo(json("""
					{"event": "chat.lobby", "data": "from b"}"""));
			assertThat(onB.nextMessage()).isEqualTo(json("""
					{"jsonrpc": "2.0", "method": "event", "params": {"topic": "chat.lobby", "data": "from b"}}"""));
			onA.assertNoMessageWithin(Duration.ofMillis(300));
			onB.assertNoMessageWithin(Duration.ofMillis(100));
			assertThat(health(this.a)).isEqualTo("UP");
		}
	}

	@Test
	void eventsOnePublisherPublishesToOneTopicArriveInThatOrderOnAnotherInstance() throws Exception {
		int count = 5_000;
		try (TestClient onB = TestClient.connect(port(this.b), "/ws")) {
			onB.call("""
					{"request_id": 1, "action": "subscribe", "params": {"topic": "ticks"}}""");
			EventPublisher publisher = this.a.getBean(EventPublisher.class);
			for (int i = 0; i < count; i++) {
				publisher.publish("ticks", i);
			}
			int outOfOrder = 0;
			int previous = -1;
			for (int i = 0; i < count; i++) {
				JsonNode event = onB.nextMessage();
				assertThat(event.get("event").asString()).isEqualTo("ticks");
				int number = event.get("data").asInt();
				if (number < previous) {
					outOfOrder++;
				}
				previous = number;
			}
			assertThat(outOfOrder).as("events that arrived after a later one").isZero();
			onB.assertNoMessageWithin(Duration.ofMillis(200));
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

	private static ConfigurableApplicationContext start(int redisPort) {
		return new SpringApplicationBuilder(WsrpcApplication.class)
			.properties("server.port=0", "wsrpc.broker=redis", "spring.data.redis.port=" + redisPort,
					"spring.data.redis.timeout=1s", "wsrpc.shutdown-timeout=100ms")
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
