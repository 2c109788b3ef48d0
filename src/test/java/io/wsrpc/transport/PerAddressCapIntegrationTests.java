package io.wsrpc.transport;

import java.net.URI;
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

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "wsrpc.max-connections-per-address=2")
class PerAddressCapIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meterRegistry;

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

	private static void assertPong(TestClient client) {
		assertThat(client.call("""
				{"jsonrpc": "2.0", "method": "ping", "id": 1}""").get("result").asString()).isEqualTo("pong");
	}

	private double refused(String reason) {
		Counter counter = this.meterRegistry.find("rpc.server.handshakes.refused").tag("reason", reason).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
