package io.wsrpc.security;

import java.net.URI;
import java.util.Map;

import io.wsrpc.support.TestClient;
import io.wsrpc.support.TestMethods;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(TestMethods.Config.class)
class AnonymousAccessIntegrationTests {

	@LocalServerPort
	private int port;

	@Test
	void withSecurityOffAnonymousCallersGetUnauthorizedFromMethodsWithRoles() {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			assertThat(client.call("""
					{"request_id": 1, "action": "test.admin_only"}""").at("/error/code").asString())
				.isEqualTo("unauthorized");
			assertThat(client.call("""
					{"request_id": 2, "action": "test.whoami", "params": {"greeting": "hi"}}""")
				.get("result")
				.asString()).isEqualTo("hi anonymous []");
		}
	}

	@Test
	void foreignOriginIsRefusedByDefaultAndNoOriginIsAllowed() {
		URI uri = URI.create("ws://localhost:" + this.port + "/ws");
		assertThat(TestClient.refusedStatus(uri, Map.of("Origin", "https://evil.example.com"))).isEqualTo(403);
		try (TestClient client = TestClient.connect(uri, Map.of())) {
			assertThat(client.call("""
					{"request_id": 1, "action": "ping"}""").get("result").asString()).isEqualTo("pong");
		}
	}

}
