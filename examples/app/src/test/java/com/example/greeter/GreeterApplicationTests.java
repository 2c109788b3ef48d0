package com.example.greeter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application as its clients see it: a real server on a random port, a real
 * WebSocket client.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class GreeterApplicationTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Test
	void greetAnswersOnTheNativeEndpoint() throws Exception {
		assertThat(call("/ws", """
				{"request_id": 1, "action": "greet", "params": {"name": "Ada"}}""")).isEqualTo(json("""
				{"request_id": 1, "status": "ok", "result": "Hello, Ada!"}"""));
	}

	@Test
	void greetAnswersOnTheJsonRpcEndpoint() throws Exception {
		assertThat(call("/jsonrpc", """
				{"jsonrpc": "2.0", "method": "greet", "params": {"name": "Ada"}, "id": 1}""")).isEqualTo(json("""
				{"jsonrpc": "2.0", "result": "Hello, Ada!", "id": 1}"""));
	}

	@Test
	void wsrpcsDemoMethodsAreNotHere() throws Exception {
		JsonNode reply = call("/ws", """
				{"request_id": 1, "action": "add_numbers", "params": {"a": 5, "b": 10}}""");
		assertThat(reply.at("/error/code").asString()).isEqualTo("method_not_found");
	}

	@Test
	void theApplicationsOwnEndpointAnswers() throws Exception {
		HttpResponse<String> response = get("/hello");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("hi");
	}

	@Test
	void theApplicationIsHealthyWithoutRedis() throws Exception {
		HttpResponse<String> response = get("/actuator/health");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json(response.body()).get("status").asString()).isEqualTo("UP");
	}

	private JsonNode call(String path, String request) throws Exception {
		BlockingQueue<String> messages = new LinkedBlockingQueue<>();
		StringBuilder partial = new StringBuilder();
		WebSocket webSocket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://localhost:" + this.port + path), new WebSocket.Listener() {

				@Override
				public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
					partial.append(data);
					if (last) {
						messages.add(partial.toString());
						partial.setLength(0);
					}
					webSocket.request(1);
					return null;
				}

			})
			.get(10, TimeUnit.SECONDS);
		try {
			webSocket.sendText(request, true).get(10, TimeUnit.SECONDS);
			String reply = messages.poll(10, TimeUnit.SECONDS);
			assertThat(reply).as("a reply within 10 s").isNotNull();
			return json(reply);
		}
		finally {
			webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
		}
	}

	private HttpResponse<String> get(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode json(String text) {
		return mapper.readTree(text);
	}

}
