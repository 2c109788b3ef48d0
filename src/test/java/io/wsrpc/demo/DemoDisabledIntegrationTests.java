package io.wsrpc.demo;

import java.util.List;

import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "wsrpc.demo.enabled=false")
class DemoDisabledIntegrationTests {

	private static final List<String> DEMO_METHODS = List.of("add_numbers", "multiply_numbers", "echo", "ping",
			"reverse", "sleep");

	@LocalServerPort
	private int port;

	@Test
	void demoMethodsAreNotFoundOnEitherEndpoint() {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			assertThat(client.call("""
					{"request_id": "a", "action": "add_numbers", "params": {"a": 5, "b": 10}}""")).isEqualTo(json("""
					{"request_id": "a", "status": "error", "error": {"code": "method_not_found",
					 "message": "No method is named 'add_numbers'; call rpc.discover for the list."}}"""));
			for (String method : DEMO_METHODS) {
				assertThat(client.call("""
						{"request_id": "m", "action": "%s"}""".formatted(method)).at("/error/code").asString())
					.as("the error calling %s", method)
					.isEqualTo("method_not_found");
			}
		}
		try (TestClient client = TestClient.connect(this.port, "/jsonrpc")) {
			assertThat(client.call("""
					{"jsonrpc": "2.0", "method": "add_numbers", "params": [5, 10], "id": 1}""")).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32601,
					 "message": "No method is named 'add_numbers'; call rpc.discover for the list.",
					 "data": {"code": "method_not_found"}}, "id": 1}"""));
		}
	}

	@Test
	void discoveryListsNoDemoMethod() {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			JsonNode methods = client.call("""
					{"request_id": "d", "action": "rpc.discover"}""").at("/result/methods");

			assertThat(methods.valueStream().map((method) -> method.get("name").asString())).contains("subscribe")
				.doesNotContainAnyElementsOf(DEMO_METHODS);
		}
	}

}
