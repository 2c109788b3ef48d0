package io.wsrpc.transport;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.support.RawHttp;
import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "wsrpc.max-connections=2")
class ConnectionCapsIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meterRegistry;

	@Autowired
	private Connections connections;

	@Test
	void connectionBeyondTheServerCapGets503IsCountedAsRefusedAndIsServedOnceOneCloses() {
		URI uri = URI.create("ws://localhost:" + this.port + "/ws");
		TestClient first = TestClient.connect(uri, Map.of());
		try (TestClient second = TestClient.connect(uri, Map.of())) {
			// a reply shows that the server has counted the connection
			assertPong(first);
			assertPong(second);
			double refused = refused("capacity");
			assertThat(TestClient.refusedStatus(uri, Map.of())).isEqualTo(503);
			assertThat(refused("capacity") - refused).isEqualTo(1);
			first.close();
			await("a connection served after one closed").atMost(Duration.ofSeconds(10))
				.ignoreException(CompletionException.class)
				.untilAsserted(() -> {
					try (TestClient third = TestClient.connect(uri, Map.of())) {
						assertPong(third);
					}
				});
		}
	}

	@Test
	void handshakesRacingForTheLastPlacesOpenNoMoreConnectionsThanTheCapAndFreeThemOnClose() throws Exception {
		URI uri = URI.create("ws://localhost:" + this.port + "/ws");
		awaitNoConnectionOpen();
		try (HandshakeRace race = HandshakeRace.run(uri, 20)) {
			assertThat(race.opened()).hasSize(2);
			assertThat(race.refusals()).hasSize(18).containsOnly(503);
			race.opened().forEach(ConnectionCapsIntegrationTests::assertPong);
		}
		awaitNoConnectionOpen();
		assertBothPlacesServe(uri);
	}

	@Test
	void handshakeRefusedAfterAdmissionGivesItsPlaceBack() throws Exception {
		URI uri = URI.create("ws://localhost:" + this.port + "/ws");
		awaitNoConnectionOpen();
		// a WebSocket version the server does not speak is refused once the caps have
		// admitted the handshake
		String oldVersion = RawHttp.upgradeRequest("/ws").replace("Version: 13", "Version: 8");
		for (int i = 0; i < 3; i++) {
			assertThat(RawHttp.exchange(InetAddress.getLoopbackAddress(), this.port, oldVersion).status())
				.isEqualTo(426);
		}
		assertBothPlacesServe(uri);
	}

	private void awaitNoConnectionOpen() {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.connections.count()).isZero());
	}

	private static void assertBothPlacesServe(URI uri) {
		try (TestClient first = TestClient.connect(uri, Map.of());
				TestClient second = TestClient.connect(uri, Map.of())) {
			assertPong(first);
			assertPong(second);
		}
	}

	private static void assertPong(TestClient client) {
		assertThat(client.call("""
				{"request_id": 1, "action": "ping"}""").get("result").asString()).isEqualTo("pong");
	}

	private double refused(String reason) {
		Counter counter = this.meterRegistry.find("rpc.server.handshakes.refused").tag("reason", reason).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
