package io.wsrpc.transport;

import java.net.URI;
import java.util.Map;

import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "wsrpc.max-connections=2")
class ConnectionCapsIntegrationTests {

	@LocalServerPort
	private int port;

	@Test
	void connectionBeyondTheServerCapGets503AndIsServedOnceOneCloses() throws Exception {
		URI uri = URI.create("ws://localhost:" + this.port + "/ws");
		TestClient first = TestClient.connect(uri, Map.of());
		try (TestClient second = TestClient.connect(uri, Map.of())) {
			assertThat(TestClient.refusedStatus(uri, Map.of())).isEqualTo(503);
			first.close();
			long deadline = System.nanoTime() + 10_000_000_000L;
			while (System.nanoTime() < deadline) {
				try (TestClient third = TestClient.connect(uri, Map.of())) {
					assertThat(third.call("""
							{"request_id": 1, "action": "ping"}""").get("result").asString()).isEqualTo("pong");
					return;
				}
				catch (java.util.concurrent.CompletionException ex) {
					Thread.sleep(50);
				}
			}
			throw new AssertionError("No place freed up after a connection closed");
		}
	}

}
