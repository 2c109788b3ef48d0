package io.wsrpc.pubsub.redis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.wsrpc.WsrpcApplication;
import io.wsrpc.support.RedisServer;
import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

class RedisBrokerIntegrationTests {

	@Test
	void eventsCrossInstancesOnceEachAndSurviveRedisRestarting() throws Exception {
		try (RedisServer redis = RedisServer.start()) {
			ConfigurableApplicationContext a = start(redis.port());
			ConfigurableApplicationContext b = start(redis.port());
			try (TestClient onA = TestClient.connect(port(a), "/ws");
					TestClient onB = TestClient.connect(port(b), "/jsonrpc")) {
				onA.call("""
						{"request_id": 1, "action": "subscribe", "params": {"topic": "chat.lobby"}}""");
				onB.call("""
						{"jsonrpc": "2.0", "method": "subscribe", "params": ["chat.lobby"], "id": 1}""");
				Thread.sleep(300);

				onB.send("""
						{"jsonrpc": "2.0", "method": "publish", "params": ["chat.lobby", "from b"]}""");
				assertThat(onA.nextMessage()).isEqualTo(json("""
						{"event": "chat.lobby", "data": "from b"}"""));
				assertThat(onB.nextMessage().at("/params/data").asString()).isEqualTo("from b");
				onA.assertNoMessageWithin(Duration.ofMillis(300));
				onB.assertNoMessageWithin(Duration.ofMillis(100));
				assertThat(health(a)).isEqualTo("UP");

				redis.stop();
				onA.send("""
						{"request_id": 2, "action": "publish", "params": ["chat.lobby", "local only"]}""");
				assertThat(java.util.List.of(onA.nextMessage(), onA.nextMessage())).containsExactlyInAnyOrder(json("""
						{"event": "chat.lobby", "data": "local only"}"""), json("""
						{"request_id": 2, "status": "ok", "result": 1}"""));
				assertThat(health(a)).isEqualTo("DOWN");
				assertThat(json(get(a, "/actuator/health/readiness")).get("status").asString()).isEqualTo("UP");

				redis.restart();
				long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
				boolean crossed = false;
				while (!crossed && System.nanoTime() < deadline) {
					onB.send("""
							{"jsonrpc": "2.0", "method": "publish", "params": ["chat.lobby", "again"]}""");
					onB.nextMessage();
					crossed = onA.pollMessage(Duration.ofMillis(500)) != null;
				}
				assertThat(crossed).as("events cross instances again once Redis is back").isTrue();
				assertThat(health(a)).isEqualTo("UP");
			}
			finally {
				a.close();
				b.close();
			}
		}
	}

	private static ConfigurableApplicationContext start(int redisPort) {
		return new SpringApplicationBuilder(WsrpcApplication.class)
			.properties("server.port=0", "wsrpc.broker=redis", "spring.data.redis.port=" + redisPort,
					"spring.data.redis.timeout=1s", "wsrpc.shutdown-timeout=100ms")
			.run();
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
