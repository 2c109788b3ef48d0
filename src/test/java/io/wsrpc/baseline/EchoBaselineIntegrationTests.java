package io.wsrpc.baseline;

import java.net.URI;
import java.util.Map;

import io.wsrpc.WsrpcApplication;
import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("echo-baseline")
class EchoBaselineIntegrationTests {

	@LocalServerPort
	private int port;

	@Test
	void everyTextMessageComesBackUnchanged() {
		String request = """
				{"request_id": 7, "action": "add_numbers", "params": {"a": 1, "b": 2}}""";
		try (TestClient client = TestClient.connect(this.port, "/echo")) {
			assertThat(client.send(request).nextText()).isEqualTo(request);
			assertThat(client.send("not json, ünïcode").nextText()).isEqualTo("not json, ünïcode");
		}
	}

	@Test
	void theRpcEndpointsStillAnswerBesideTheEcho() {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			assertThat(client.call("""
					{"request_id": 1, "action": "ping"}""").get("result").asString()).isEqualTo("pong");
		}
	}

	@Test
	void withoutTheProfileTheEchoPathDoesNotUpgrade() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WsrpcApplication.class)
			.properties("server.port=0")
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			assertThat(TestClient.refusedStatus(URI.create("ws://localhost:" + port + "/echo"), Map.of()))
				.isEqualTo(404);
		}
	}

}
