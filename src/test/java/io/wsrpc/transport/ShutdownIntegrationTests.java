package io.wsrpc.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

import io.wsrpc.WsrpcApplication;
import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

class ShutdownIntegrationTests {

	@Test
	void slowCallInFlightGetsItsReplyBeforeTheConnectionClosesWith1001() throws Exception {
		ConfigurableApplicationContext context = start("wsrpc.shutdown-timeout=10s");
		int port = port(context);
		try (TestClient client = TestClient.connect(port, "/ws")) {
			client.send("""
					{"request_id": "slow", "action": "sleep", "params": {"ms": 1500}}""");
			Thread.sleep(200);
			CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
			Thread.sleep(200);

			JsonNode refused = client.call("""
					{"request_id": "late", "action": "ping"}""");
			assertThat(refused.get("request_id").asString()).isEqualTo("late");
			assertThat(refused.at("/error/code").asString()).isEqualTo("overloaded");
			assertThatException().isThrownBy(() -> TestClient.connect(port, "/ws"));
			HttpResponse<String> readiness = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(readiness.statusCode()).isEqualTo(503);
			assertThat(readiness.body()).contains("OUT_OF_SERVICE");

			assertThat(client.nextMessage()).isEqualTo(json("""
					{"request_id": "slow", "status": "ok", "result": 1500}"""));
			assertThat(client.awaitCloseCode()).isEqualTo(1001);
			closing.get();
		}
		finally {
			context.close();
		}
	}

	@Test
	void callsStillRunningAtTheShutdownTimeoutAreCutOffWith1001() throws Exception {
		ConfigurableApplicationContext context = start("wsrpc.shutdown-timeout=300ms");
		int port = port(context);
		try (TestClient client = TestClient.connect(port, "/ws")) {
			client.send("""
					{"request_id": "endless", "action": "sleep", "params": {"ms": 10000}}""");
			Thread.sleep(200);
			long start = System.nanoTime();
			context.close();
			assertThat(client.awaitCloseCode()).isEqualTo(1001);
			assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
		}
		finally {
			context.close();
		}
	}

	private static ConfigurableApplicationContext start(String shutdownTimeout) {
		return new SpringApplicationBuilder(WsrpcApplication.class).properties("server.port=0", shutdownTimeout).run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
