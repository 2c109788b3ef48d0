package io.wsrpc.transport;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "wsrpc.max-connections-per-address=2")
class PerAddressCapIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meterRegistry;

	@Autowired
	private Connections connections;

	@Test
	void connectionBeyondThePerAddressCapGets429AndIsCountedAsRefused() {
		URI uri = URI.create("ws://localhost:" + this.port + "/jsonrpc");
		try (TestClient first = TestClient.connect(uri, Map.of());
				TestClient second = TestClient.connect(uri, Map.of())) {
			// a reply shows that the server has counted the connection
			assertPong(first);
			assertPong(second);
			double refused = refused("per_address");
			assertThat(TestClient.refusedStatus(uri, Map.of())).isEqualTo(429);
			assertThat(refused("per_address") - refused).isEqualTo(1);
		}
	}

	@Test
	void handshakesFromOneAddressRacingForItsLastPlacesOpenNoMoreConnectionsThanItsCap() throws Exception {
		URI uri = URI.create("ws://localhost:" + this.port + "/jsonrpc");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.connections.count()).isZero());
		try (HandshakeRace race = HandshakeRace.run(uri, 20)) {
			assertThat(race.opened()).hasSize(2);
			assertThat(race.refusals()).hasSize(18).containsOnly(429);
			race.opened().forEach(PerAddressCapIntegrationTests::assertPong);
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.connections.count()).isZero());
		try (TestClient first = TestClient.connect(uri, Map.of());
				TestClient second = TestClient.connect(uri, Map.of())) {
			assertPong(first);
			assertPong(second);
		}
	}

	private static void assertPong(TestClient client) {
		assertThat(client.call("""
				{"jsonrpc": "2.0", "method": "ping", "id": 1}""").get("result").asString()).isEqualTo("pong");
	}

	private double refused(String reason) {
		Counter counter = this.meterRegistry.find("rpc.server.handshakes.refused").tag("reason", reason).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
