package io.wsrpc.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.WsrpcApplication;
import io.wsrpc.support.TestClient;
import io.wsrpc.support.TestMethods;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ShutdownIntegrationTests {

	@Test
	void drainingNoticeComesFirstAndASlowCallInFlightGetsItsReplyBeforeTheConnectionClosesWith1001() throws Exception {
		ConfigurableApplicationContext context = start("wsrpc.shutdown-timeout=10s");
		int port = port(context);
		ServerStatus status = context.getBean(ServerStatus.class);
		MeterRegistry meters = context.getBean(MeterRegistry.class);
		try (TestClient client = TestClient.connect(port, "/ws");
				TestClient jsonRpc = TestClient.connect(port, "/jsonrpc")) {
			client.send("""
					{"request_id": "slow", "action": "sleep", "params": {"ms": 1500}}""");
			await().atMost(Duration.ofSeconds(10)).until(() -> status.callsInFlight() == 1);
			// on a thread of its own: closing blocks for the drain, and on JDK 21+ the
			// HTTP
			// client finishes a refused WebSocket handshake on the common pool, whose one
			// worker on two cores must stay free
			CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close,
					(task) -> new Thread(task, "close-context").start());
			await().atMost(Duration.ofSeconds(10)).until(status::isDraining);
			double refusedBefore = refusedWhileDraining(meters);
			assertThat(client.nextMessage()).isEqualTo(json("""
					{"event": "$server.draining"}"""));
			assertThat(jsonRpc.nextMessage()).isEqualTo(json("""
					{"jsonrpc": "2.0", "method": "$server.draining"}"""));

			assertThat(client.call("""
					{"request_id": "late", "action": "ping"}""")).isEqualTo(
					json("""
							{"request_id": "late", "status": "error", "error": {"code": "overloaded",
							 "message": "The server is shutting down; send the call to another instance or retry after reconnecting."}}"""));
			assertThat(TestClient.refusedStatus(URI.create("ws://localhost:" + port + "/ws"), Map.of())).isEqualTo(503);
			assertThat(refusedWhileDraining(meters)).isEqualTo(refusedBefore + 1);
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
	void callsStillRunningAtTheShutdownTimeoutAreCutOffWith1001AndTheirThreadsInterrupted() throws Exception {
		ConfigurableApplicationContext context = start("wsrpc.shutdown-timeout=300ms");
		int port = port(context);
		TestMethods methods = context.getBean(TestMethods.class);
		try (TestClient client = TestClient.connect(port, "/ws")) {
			client.send("""
					{"request_id": "endless", "action": "test.block", "params": {"ms": 60000}}""");
			await().atMost(Duration.ofSeconds(10)).until(() -> methods.blocking() == 1);
			long start = System.nanoTime();
			context.close();
			assertThat(client.nextMessage()).isEqualTo(json("""
					{"event": "$server.draining"}"""));
			assertThat(client.nextMessage()).isEqualTo(json("""
					{"request_id": "endless", "status": "error",
					 "error": {"code": "overloaded", "message": "The server shut down before the call finished."}}"""));
			assertThat(client.awaitCloseCode()).isEqualTo(1001);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
			await().atMost(Duration.ofSeconds(10)).until(() -> methods.interrupted() == 1);
		}
		finally {
			context.close();
		}
	}

	/**
	 * Reads the counter that exists, without creating one: the registry is closed once
	 * shutdown begins, and would hand out a new counter that counts nothing.
	 */
	private static double refusedWhileDraining(MeterRegistry meters) {
		Counter counter = meters.find("rpc.server.handshakes.refused").tag("reason", "draining").counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static ConfigurableApplicationContext start(String shutdownTimeout) {
		return new SpringApplicationBuilder(WsrpcApplication.class, TestMethods.Config.class)
			.properties("server.port=0", shutdownTimeout)
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
