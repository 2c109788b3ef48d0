package io.wsrpc.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

class SlowReaderIntegrationTests {

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "wsrpc.send-buffer-size=64KB", "wsrpc.send-time-limit=2s" })
	class OverTheSendBuffer {

		@LocalServerPort
		private int port;

		@Autowired
		private MeterRegistry meterRegistry;

		@Test
		void clientThatDoesNotReadItsRepliesIsDisconnectedAndItsConnectionFreed() throws Exception {
			assertClientThatDoesNotReadIsDisconnected(this.port, this.meterRegistry);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "wsrpc.send-buffer-size=1GB", "wsrpc.send-time-limit=1s" })
	class OverTheSendTimeLimit {

		@LocalServerPort
		private int port;

		@Autowired
		private MeterRegistry meterRegistry;

		@Test
		void clientWhoseRepliesMakeNoProgressIsDisconnectedAndItsConnectionFreed() throws Exception {
			assertClientThatDoesNotReadIsDisconnected(this.port, this.meterRegistry);
		}

	}

	static void assertClientThatDoesNotReadIsDisconnected(int port, MeterRegistry meterRegistry) throws Exception {
		double openBefore = meterRegistry.get("rpc.server.connections").gauge().value();
		WebSocket.Listener notReading = new WebSocket.Listener() {

			@Override
			public void onOpen(WebSocket webSocket) {
				// no request(1): this client never reads
			}

		};
		WebSocket webSocket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + port + "/ws"), notReading)
			.join();
		String request = "{\"request_id\": 1, \"action\": \"echo\", \"params\": {\"message\": \"" + "m".repeat(200_000)
				+ "\"}}";
		try {
			for (int i = 0; i < 100 && slowReaders(meterRegistry) == 0; i++) {
				webSocket.sendText(request, true).get(2, TimeUnit.SECONDS);
			}
		}
		catch (TimeoutException | ExecutionException ex) {
			// the server stopped reading, or closed: either way it gave up on this client
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (openConnections(meterRegistry) > openBefore && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(slowReaders(meterRegistry)).isEqualTo(1);
		assertThat(openConnections(meterRegistry)).isEqualTo(openBefore);
		webSocket.abort();
	}

	private static double slowReaders(MeterRegistry meterRegistry) {
		return meterRegistry.counter("rpc.server.connections.slow").count();
	}

	private static double openConnections(MeterRegistry meterRegistry) {
		return meterRegistry.get("rpc.server.connections").gauge().value();
	}

}
