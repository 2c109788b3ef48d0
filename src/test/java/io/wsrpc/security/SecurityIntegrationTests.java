package io.wsrpc.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.support.SecuredServer;
import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.wsrpc.support.SecuredServer.ADMIN_KEY;
import static io.wsrpc.support.SecuredServer.USER_KEY;
import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

@SecuredServer
class SecurityIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meterRegistry;

	private URI uri(String path) {
		return URI.create("ws://localhost:" + this.port + path);
	}

	@Test
	void handshakeWithoutAKeyGets401WithABearerChallengeAndIsCountedAsRefused() {
		double refused = refusedUnauthorized();
		assertRefusedWithABearerChallenge(uri("/ws"), Map.of());
		assertThat(refusedUnauthorized() - refused).isEqualTo(1);
		assertRefusedWithABearerChallenge(uri("/jsonrpc"), Map.of());
		assertThat(refusedUnauthorized() - refused).isEqualTo(2);
	}

	@Test
	void handshakeWithAWrongKeyGets401WithABearerChallengeAndIsCountedAsRefused() {
		double refused = refusedUnauthorized();
		assertRefusedWithABearerChallenge(uri("/ws"), Map.of("Authorization", "Bearer nope"));
		assertThat(refusedUnauthorized() - refused).isEqualTo(1);
		assertRefusedWithABearerChallenge(uri("/ws?access_token=nope"), Map.of());
		assertThat(refusedUnauthorized() - refused).isEqualTo(2);
	}

	private static void assertRefusedWithABearerChallenge(URI uri, Map<String, String> headers) {
		HttpResponse<?> refusal = TestClient.refusal(uri, headers);
		assertThat(refusal.statusCode()).as("status refusing %s", uri).isEqualTo(401);
		assertThat(refusal.headers().allValues("WWW-Authenticate")).as("challenge refusing %s", uri)
			.containsExactly("Bearer");
	}

	private double refusedUnauthorized() {
		Counter counter = this.meterRegistry.find("rpc.server.handshakes.refused")
			.tag("reason", "unauthorized")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void bearerHeaderOrAccessTokenParameterOpensTheConnection() {
		try (TestClient client = TestClient.connect(uri("/ws"), Map.of("Authorization", "Bearer " + USER_KEY))) {
			assertThat(client.call("""
					{"request_id": 1, "action": "ping"}""").get("result").asString()).isEqualTo("pong");
		}
		try (TestClient client = TestClient.connect(uri("/ws?access_token=" + USER_KEY), Map.of())) {
			assertThat(client.call("""
					{"request_id": 1, "action": "ping"}""").get("result").asString()).isEqualTo("pong");
		}
	}

	@Test
	void methodsSeeThePrincipalAndItsRolesNeverBoundFromParams() {
		try (TestClient client = TestClient.connect(uri("/ws"), Map.of("Authorization", "Bearer " + ADMIN_KEY))) {
			assertThat(client.call("""
					{"request_id": 1, "action": "test.whoami", "params": {"greeting": "hi"}}""")
				.get("result")
				.asString()).isEqualTo("hi root [admin, user]");
			assertThat(client.call("""
					{"request_id": 2, "action": "test.whoami", "params": ["hello"]}""").get("result").asString())
				.isEqualTo("hello root [admin, user]");
			assertThat(client.call("""
					{"request_id": 3, "action": "test.whoami", "params": {"greeting": "hi", "context": {}}}""")
				.at("/error/details/0")).isEqualTo(json("""
						{"field": "context", "message": "is not a parameter of this method"}"""));
		}
	}

	@Test
	void callerWithoutTheRoleIsForbiddenAndWithItIsServed() {
		try (TestClient user = TestClient.connect(uri("/ws"), Map.of("Authorization", "Bearer " + USER_KEY));
				TestClient admin = TestClient.connect(uri("/jsonrpc"),
						Map.of("Authorization", "Bearer " + ADMIN_KEY))) {
			assertThat(user.call("""
					{"request_id": 1, "action": "test.admin_only"}""").at("/error/code").asString())
				.isEqualTo("forbidden");
			assertThat(admin.call("""
					{"jsonrpc": "2.0", "method": "test.admin_only", "id": 1}""")).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": "secret", "id": 1}"""));
		}
	}

	@Test
	void browserFromAForeignOriginGets403AndAnAllowedOneConnects() {
		Map<String, String> key = Map.of("Authorization", "Bearer " + USER_KEY);
		assertThat(TestClient.refusedStatus(uri("/ws"),
				Map.of("Authorization", "Bearer " + USER_KEY, "Origin", "https://evil.example.com")))
			.isEqualTo(403);
		try (TestClient client = TestClient.connect(uri("/ws"),
				Map.of("Authorization", "Bearer " + USER_KEY, "Origin", "https://app.example.com"))) {
			assertThat(client.call("""
					{"request_id": 1, "action": "ping"}""").get("status").asString()).isEqualTo("ok");
		}
		try (TestClient client = TestClient.connect(uri("/ws"), key)) {
			assertThat(client.call("""
					{"request_id": 1, "action": "ping"}""").get("status").asString()).isEqualTo("ok");
		}
	}

	@Test
	void actuatorHealthIsPublicAndMetricsNeedAnAdmin() throws Exception {
		assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
		assertThat(get("/actuator/metrics", null).statusCode()).isEqualTo(401);
		assertThat(get("/actuator/metrics", USER_KEY).statusCode()).isEqualTo(403);
		assertThat(get("/actuator/metrics", ADMIN_KEY).statusCode()).isEqualTo(200);
	}

	@Test
	void healthShowsItsComponentsToAnAdminAndOnlyItsStatusToOthers() throws Exception {
		JsonNode admin = json(get("/actuator/health", ADMIN_KEY).body());
		assertThat(admin.get("status").asString()).isEqualTo("UP");
		assertThat(admin.at("/components/rpc/status").asString()).isEqualTo("UP");
		for (String key : Arrays.asList(null, USER_KEY, "nope")) {
			assertThat(json(get("/actuator/health", key).body())).as("health for the key %s", key).isEqualTo(json("""
					{"status": "UP", "groups": ["liveness", "readiness"]}"""));
		}
	}

	@Test
	void aTokenThatIsNoKeyLeavesHealthPublic() throws Exception {
		assertThat(get("/actuator/health", "nope").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/health?access_token=nope", null).statusCode()).isEqualTo(200);
	}

	@Test
	void actuatorRequestRefusedForItsKeyIsNoRefusedHandshake() throws Exception {
		double refused = refusedUnauthorized();
		assertThat(get("/actuator/metrics", null).statusCode()).isEqualTo(401);
		assertThat(get("/actuator/metrics", "nope").statusCode()).isEqualTo(401);
		assertThat(refusedUnauthorized() - refused).isZero();
	}

	@Test
	void openRpcDocumentNeedsAKeyAsTheEndpointsDoAndIsNoRefusedHandshake() throws Exception {
		double refused = refusedUnauthorized();
		HttpResponse<String> anonymous = get("/openrpc.json", null);
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.headers().allValues("WWW-Authenticate")).containsExactly("Bearer");
		assertThat(get("/openrpc.json", "nope").statusCode()).isEqualTo(401);
		assertThat(refusedUnauthorized() - refused).isZero();
		HttpResponse<String> withKey = get("/openrpc.json", USER_KEY);
		assertThat(withKey.statusCode()).isEqualTo(200);
		assertThat(json(withKey.body()).get("openrpc").asString()).isEqualTo("1.3.2");
	}

	private HttpResponse<String> get(String path, String key) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
