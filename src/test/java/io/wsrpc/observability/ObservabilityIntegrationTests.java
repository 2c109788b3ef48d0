package io.wsrpc.observability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ObservabilityIntegrationTests {

	@LocalServerPort
	private int port;

	private static final String CALLS = "rpc_server_calls_seconds_count\\{[^}]*";

	@Autowired
	private MeterRegistry meterRegistry;

	@Test
	void prometheusTextMovesWithCallsErrorsMessagesAndCloses() throws Exception {
		String before = get("/actuator/prometheus").body();
		double closedBefore = closedWith1000();
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			client.call("""
					{"request_id": 1, "action": "multiply_numbers", "params": [2, 3]}""");
			client.call("""
					{"request_id": 2, "action": "multiply_numbers", "params": ["x", 3]}""");
			client.call("""
					{"request_id": 3, "action": "does_not_exist"}""");
			client.send("{\"request_id\": 4, \"action\": \"ping\"}").nextMessage();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> closedWith1000() > closedBefore);
		String after = get("/actuator/prometheus").body();
		assertThat(moved(before, after,
				CALLS + "method=\"multiply_numbers\"[^}]*outcome=\"ok\"[^}]*protocol=\"ws\"[^}]*}"))
			.isEqualTo(1);
		assertThat(moved(before, after, CALLS + "method=\"multiply_numbers\"[^}]*outcome=\"invalid_params\"[^}]*}"))
			.isEqualTo(1);
		assertThat(moved(before, after, CALLS + "method=\"unknown\"[^}]*outcome=\"method_not_found\"[^}]*}"))
			.isEqualTo(1);
		assertThat(after).doesNotContain("does_not_exist");
		assertThat(moved(before, after, "rpc_server_messages_total\\{direction=\"in\",protocol=\"ws\"}")).isEqualTo(4);
		assertThat(moved(before, after, "rpc_server_bytes_total\\{direction=\"out\",protocol=\"ws\"}")).isPositive();
		assertThat(moved(before, after, "rpc_server_connections_closed_total\\{code=\"1000\",protocol=\"ws\"}"))
			.isGreaterThanOrEqualTo(1);
		assertThat(after).contains("rpc_server_calls_in_flight");
		assertThat(after).contains("rpc_server_connections ");
		assertThat(this.meterRegistry.find("rpc.server.calls").tag("method", "does_not_exist").timers()).isEmpty();
	}

	@Test
	void rpcEndpointListsTheMethodsWithTheirCounts() throws Exception {
		JsonNode before = method(json(get("/actuator/rpc").body()), "reverse");
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			client.call("""
					{"request_id": 1, "action": "reverse", "params": {"text": "abc"}}""");
			client.call("""
					{"request_id": 2, "action": "reverse", "params": {"text": 1}}""");
			JsonNode report = json(get("/actuator/rpc").body());
			JsonNode reverse = method(report, "reverse");
			assertThat(reverse.get("params")).isEqualTo(json("[\"text\"]"));
			assertThat(reverse.get("bean").asString()).isEqualTo("demoMethods");
			assertThat(reverse.get("calls").asLong() - before.get("calls").asLong()).isEqualTo(2);
			assertThat(reverse.get("errors").asLong() - before.get("errors").asLong()).isEqualTo(1);
			assertThat(reverse.get("meanMillis").asDouble()).isPositive();
			assertThat(report.get("openConnections").asInt()).isPositive();
			assertThat(report.findValuesAsString("name")).contains("add_numbers", "echo", "ping", "sleep");
		}
	}

	private static JsonNode method(JsonNode report, String name) {
		for (JsonNode method : report.get("methods")) {
			if (method.get("name").asString().equals(name)) {
				return method;
			}
		}
		throw new AssertionError("The report lists no method " + name + ": " + report);
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

	private double closedWith1000() {
		return this.meterRegistry.counter("rpc.server.connections.closed", "protocol", "ws", "code", "1000").count();
	}

	/**
	 * How much the sample of the Prometheus text that the pattern matches went up between
	 * two scrapes; a sample that is not there yet counts as 0. Other tests share this
	 * server, so only the difference is this test's own.
	 */
	private static double moved(String before, String after, String sample) {
		return value(after, sample) - value(before, sample);
	}

	private static double value(String text, String sample) {
		Matcher matcher = Pattern.compile("(?m)^" + sample + " (\\S+)$").matcher(text);
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
	}

	private HttpResponse<String> get(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

}
