package io.wsrpc.transport;

import java.net.URI;
import java.util.Map;

import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "wsrpc.max-connections-per-address=2")
class PerAddressCapIntegrationTests {

	@LocalServerPort
	private int port;

	@Test
	void connectionBeyondThePerAddressCapGets429() {
		URI uri = URI.create("ws://localhost:" + this.port + "/jsonrpc");
		try (TestClient first = TestClient.connect(uri, Map.of());
				TestClient second = TestClient.connect(uri, Map.of())) {
			assertThat(TestClient.refusedStatus(uri, Map.of())).isEqualTo(429);
		}
	}

}
