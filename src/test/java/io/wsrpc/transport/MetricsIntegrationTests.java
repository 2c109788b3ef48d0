package io.wsrpc.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
class MetricsIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meterRegistry;

	@Test
	void callsAreTimedByMethodOutcomeAndProtocol() throws Exception {
		try (TestClient ws = TestClient.connect(this.port, "/ws");
				TestClient jsonRpc = TestClient.connect(this.port, "/jsonrpc")) {
			ws.call("""
					{"request_id": 1, "action": "add_numbers", "params": {"a": 1, "b": 2}}""");
			ws.call("""
					{"request_id": 2, "action": "add_numbers", "params": {"a": "x", "b": 2}}""");
			ws.call("""
					{"request_id": 3, "action": "made_up_name_1234"}""");
			jsonRpc.call("""
					{"jsonrpc": "2.0", "method": "ping", "id": 1}""");

			assertThat(timer("add_numbers", "ok", "ws").count()).isEqualTo(1);
			assertThat(timer("add_numbers", "invalid_params", "ws").count()).isEqualTo(1);
			assertThat(timer("unknown", "method_not_found", "ws").count()).isEqualTo(1);
			assertThat(timer("ping", "ok", "jsonrpc").count()).isEqualTo(1);
			assertThat(this.meterRegistry.find("rpc.server.calls").tag("method", "made_up_name_1234").timer()).isNull();

			JsonNode metric = json(get("/actuator/metrics/rpc.server.calls?tag=method:add_numbers&tag=outcome:ok"));
			assertThat(metric.at("/measurements/0/statistic").asString()).isEqualTo("COUNT");
			assertThat(metric.at("/measurements/0/value").asDouble()).isEqualTo(1.0);
		}
	}

	@Test
	void openConnectionsGaugeFollowsConnectsAndDisconnects() throws Exception {
		double before = connections();
		TestClient client = TestClient.connect(this.port, "/ws");
		client.call("""
				{"request_id": 1, "action": "ping"}""");
		assertThat(connections()).isEqualTo(before + 1);
		assertThat(json(get("/actuator/metrics/rpc.server.connections")).at("/measurements/0/value").asDouble())
			.isEqualTo(before + 1);
		client.close();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (connections() != before && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(connections()).isEqualTo(before);
	}

	@Test
	void healthIsUp() throws Exception {
		assertThat(json(get("/actuator/health")).get("status").asString()).isEqualTo("UP");
	}

	private Timer timer(String method, String outcome, String protocol) {
		Timer timer = this.meterRegistry.find("rpc.server.calls")
			.tag("method", method)
			.tag("outcome", outcome)
			.tag("protocol", protocol)
			.timer();
		assertThat(timer).as("timer for %s/%s/%s", method, outcome, protocol).isNotNull();
		return timer;
	}

	private double connections() {
		return this.meterRegistry.get("rpc.server.connections").gauge().value();
	}

	private String get(String path) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("status of %s", path).isEqualTo(200);
		return response.body();
	}

}
