package io.wsrpc.observability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ObservabilityIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meterRegistry;

	@Test
	void prometheusTextMovesWithCallsErrorsMessagesAndCloses() throws Exception {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			client.call("""
					{"request_id": 1, "action": "multiply_numbers", "params": [2, 3]}""");
			client.call("""
					{"request_id": 2, "action": "multiply_numbers", "params": ["x", 3]}""");
			client.call("""
					{"request_id": 3, "action": "does_not_exist"}""");
			client.send("{\"request_id\": 4, \"action\": \"ping\"}").nextMessage();
		}
		awaitClosed();
		String text = get("/actuator/prometheus").body();
		assertThat(text).containsPattern(
				"rpc_server_calls_seconds_count\\{[^}]*method=\"multiply_numbers\"[^}]*outcome=\"ok\"[^}]*protocol=\"ws\"[^}]*} 1");
		assertThat(text).containsPattern(
				"rpc_server_calls_seconds_count\\{[^}]*method=\"multiply_numbers\"[^}]*outcome=\"invalid_params\"[^}]*} 1");
		assertThat(text).containsPattern(
				"rpc_server_calls_seconds_count\\{[^}]*method=\"unknown\"[^}]*outcome=\"method_not_found\"[^}]*} 1");
		assertThat(text).doesNotContain("does_not_exist");
		assertThat(text).containsPattern("rpc_server_messages_total\\{direction=\"in\",protocol=\"ws\"} [4-9]");
		assertThat(text).containsPattern("rpc_server_bytes_total\\{direction=\"out\",protocol=\"ws\"} [1-9]");
		assertThat(text).containsPattern("rpc_server_connections_closed_total\\{code=\"1000\",protocol=\"ws\"} [1-9]");
		assertThat(text).contains("rpc_server_calls_in_flight");
		assertThat(text).contains("rpc_server_connections ");
		assertThat(this.meterRegistry.find("rpc.server.calls").tag("method", "multiply_numbers").timers()).hasSize(2);
	}

	@Test
	void rpcEndpointListsTheMethodsWithTheirCounts() throws Exception {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			client.call("""
					{"request_id": 1, "action": "reverse", "params": {"text": "abc"}}""");
			client.call("""
					{"request_id": 2, "action": "reverse", "params": {"text": 1}}""");
			JsonNode report = json(get("/actuator/rpc").body());
			JsonNode reverse = null;
			for (JsonNode method : report.get("methods")) {
				if (method.get("name").asString().equals("reverse")) {
					reverse = method;
				}
			}
			assertThat(reverse).isNotNull();
			assertThat(reverse.get("params")).isEqualTo(json("[\"text\"]"));
			assertThat(reverse.get("bean").asString()).isEqualTo("demoMethods");
			assertThat(reverse.get("calls").asLong()).isEqualTo(2);
			assertThat(reverse.get("errors").asLong()).isEqualTo(1);
			assertThat(reverse.get("meanMillis").asDouble()).isPositive();
			assertThat(report.get("openConnections").asInt()).isPositive();
			assertThat(report.findValuesAsString("name")).contains("add_numbers", "echo", "ping", "sleep");
		}
	}

	@Test
	void infoShowsTheBuildAndTheGitCommit() throws Exception {
		JsonNode info = json(get("/actuator/info").body());
		assertThat(info.at("/build/version").asString()).isNotBlank();
		assertThat(info.at("/git/commit/id").asString()).isNotBlank();
	}

	@Test
	void readinessIncludesTheRpcEndpointsAndIsUp() throws Exception {
		HttpResponse<String> readiness = get("/actuator/health/readiness");
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(json(readiness.body()).get("status").asString()).isEqualTo("UP");
		assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
	}

	private void awaitClosed() throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (this.meterRegistry.find("rpc.server.connections.closed").counters().isEmpty()
				&& System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
	}

	private HttpResponse<String> get(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

}
