package io.wsrpc.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
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

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "wsrpc.rate-limit.messages-per-second=5", "wsrpc.rate-limit.burst=5",
				"wsrpc.rate-limit.close-after=20", "wsrpc.ping-interval=200ms", "wsrpc.pong-timeout=400ms",
				"wsrpc.idle-timeout=3s" })
class AbuseIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meterRegistry;

	@Test
	void messagesOverTheRateLimitGetRateLimitedWithARetryHint() {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			for (int i = 0; i < 8; i++) {
				client.send("{\"request_id\": " + i + ", \"action\": \"ping\"}");
			}
			int limited = 0;
			for (int i = 0; i < 8; i++) {
				JsonNode reply = client.nextMessage();
				if (reply.get("status").asString().equals("error")) {
					assertThat(reply.at("/error/code").asString()).isEqualTo("rate_limited");
					assertThat(reply.at("/error/details/retry_after_ms").asLong()).isPositive();
					limited++;
				}
			}
			// 5 go through at once; the bucket refills one every 200 ms while the rest
			// are sent
			assertThat(limited).isBetween(1, 3);
		}
	}

	@Test
	void connectionThatKeepsFloodingIsClosedWith1008() {
		try (TestClient client = TestClient.connect(this.port, "/jsonrpc")) {
			for (int i = 0; i < 40; i++) {
				client.send("{\"jsonrpc\": \"2.0\", \"method\": \"ping\", \"id\": " + i + "}");
			}
			assertThat(client.awaitCloseCode()).isEqualTo(1008);
		}
	}

	@Test
	void peerThatAnswersNoPingIsClosedAndCountedOut() throws Exception {
		double closedBefore = closedWith1001();
		WebSocket.Listener deaf = new WebSocket.Listener() {

			@Override
			public void onOpen(WebSocket webSocket) {
				// reads nothing, so it never answers a ping
			}

		};
		WebSocket webSocket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + this.port + "/ws"), deaf)
			.join();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (closedWith1001() == closedBefore && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		webSocket.abort();
		assertThat(closedWith1001()).isEqualTo(closedBefore + 1);
	}

	private double closedWith1001() {
		return this.meterRegistry.counter("rpc.server.connections.closed", "protocol", "ws", "code", "1001").count();
	}

	@Test
	void connectionThatSendsNothingIsClosedAfterTheIdleTimeoutThoughItAnswersPings() throws Exception {
		CompletableFuture<Integer> closed = new CompletableFuture<>();
		WebSocket.Listener quiet = new WebSocket.Listener() {

			@Override
			public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
				closed.complete(statusCode);
				return null;
			}

		};
		long start = System.nanoTime();
		HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + this.port + "/ws"), quiet)
			.join();
		assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(2900);
	}

}
