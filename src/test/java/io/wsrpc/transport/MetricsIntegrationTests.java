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
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class MetricsIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meterRegistry;

	@Test
	void callsAreTimedByMethodOutcomeAndProtocol() throws Exception {
		double addOk = count("add_numbers", "ok", "ws");
		double addInvalid = count("add_numbers", "invalid_params", "ws");
		double unknown = count("unknown", "method_not_found", "ws");
		double ping = count("ping", "ok", "jsonrpc");
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

			assertThat(count("add_numbers", "ok", "ws")).isEqualTo(addOk + 1);
			assertThat(count("add_numbers", "invalid_params", "ws")).isEqualTo(addInvalid + 1);
			assertThat(count("unknown", "method_not_found", "ws")).isEqualTo(unknown + 1);
			assertThat(count("ping", "ok", "jsonrpc")).isEqualTo(ping + 1);
			assertThat(this.meterRegistry.find("rpc.server.calls").tag("method", "made_up_name_1234").timer()).isNull();

			JsonNode metric = json(get("/actuator/metrics/rpc.server.calls?tag=method:add_numbers&tag=outcome:ok"));
			assertThat(metric.at("/measurements/0/statistic").asString()).isEqualTo("COUNT");
			assertThat(metric.at("/measurements/0/value").asDouble()).isEqualTo(addOk + 1);
		}
	}

	@Test
	void openConnectionsGaugeFollowsConnectsAndDisconnects() throws Exception {
		double before = settledConnections();
		TestClient client = TestClient.connect(this.port, "/ws");
		client.call("""
				{"request_id": 1, "action": "ping"}""");
		assertThat(connections()).isEqualTo(before + 1);
		assertThat(json(get("/actuator/metrics/rpc.server.connections")).at("/measurements/0/value").asDouble())
			.isEqualTo(before + 1);
		client.close();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(connections()).isEqualTo(before));
	}

	@Test
	void healthIsUp() throws Exception {
		assertThat(json(get("/actuator/health")).get("status").asString()).isEqualTo("UP");
	}

	private double count(String method, String outcome, String protocol) {
		Timer timer = this.meterRegistry.find("rpc.server.calls")
			.tag("method", method)
			.tag("outcome", outcome)
			.tag("protocol", protocol)
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

	/**
	 * The gauge once connections other tests closed have been counted out.
	 */
	private double settledConnections() throws InterruptedException {
		double value = connections();
		for (int i = 0; i < 50; i++) {
			Thread.sleep(100);
			double now = connections();
			if (now == value && i >= 2) {
				return now;
			}
			value = now;
		}
		return value;
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
