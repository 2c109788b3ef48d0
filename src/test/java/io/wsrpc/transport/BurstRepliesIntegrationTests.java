package io.wsrpc.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.wsrpc.support.RawWebSocket;
import io.wsrpc.support.TestMethods;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that arrive together, as a client with many calls in flight sends them: their
 * replies are written together, and none of them waits for a request that never comes.
 * The window is wide here, so that every reply but the first of a burst waits for the
 * flush.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "wsrpc.coalesce-window=1s")
@Import(TestMethods.Config.class)
class BurstRepliesIntegrationTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	/**
	 * The next text frame, which must come within a second: no reply waits for more.
	 */
	private static String nextText(RawWebSocket socket) throws IOException {
		RawWebSocket.Frame frame;
		do {
			frame = socket.nextFrame(Duration.ofSeconds(1));
			assertThat(frame).as("a reply within 1 s").isNotNull();
		}
		while (frame.opcode() != RawWebSocket.TEXT);
		return frame.text();
	}

	@Test
	void everyRequestOfABurstGetsItsReplyInOrderAndALoneRequestAfterItIsAnsweredAtOnce() throws IOException {
		try (RawWebSocket socket = RawWebSocket.connect(this.port, "/ws").answeringPings()) {
			for (int round = 0; round < 20; round++) {
				List<String> burst = new ArrayList<>();
				for (int i = 0; i < 200; i++) {
					burst.add("{\"request_id\": \"" + round + "-" + i + "\", \"action\": \"add_numbers\", "
							+ "\"params\": {\"a\": " + i + ", \"b\": " + round + "}}");
				}
				socket.sendText(burst.toArray(String[]::new));
				for (int i = 0; i < 200; i++) {
					JsonNode reply = mapper.readTree(nextText(socket));
					assertThat(reply.get("request_id").asString()).isEqualTo(round + "-" + i);
					assertThat(reply.get("result").asInt()).isEqualTo(i + round);
				}
				// the last reply of a burst is not held back for a next request
				socket.sendText("{\"request_id\": \"alone-" + round + "\", \"action\": \"ping\"}");
				RawWebSocket.Frame alone = socket.nextFrame(Duration.ofSeconds(1));
				assertThat(alone).as("the reply to a request sent alone after a burst").isNotNull();
				assertThat(alone.text())
					.isEqualTo("{\"request_id\":\"alone-" + round + "\",\"status\":\"ok\",\"result\":\"pong\"}");
			}
		}
	}

	@Test
	void repliesOfCallsOnOtherThreadsInterleavedWithABurstAllArrive() throws IOException {
		try (RawWebSocket socket = RawWebSocket.connect(this.port, "/ws").answeringPings()) {
			List<String> burst = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				burst.add((i % 10 == 0)
						? "{\"request_id\": \"s" + i + "\", \"action\": \"sleep\", \"params\": {\"ms\": 1}}"
						: "{\"request_id\": \"a" + i
								+ "\", \"action\": \"add_numbers\", \"params\": {\"a\": 1, \"b\": 2}}");
			}
			socket.sendText(burst.toArray(String[]::new));
			List<String> answered = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				answered.add(mapper.readTree(nextText(socket)).get("request_id").asString());
			}
			assertThat(answered).containsExactlyInAnyOrderElementsOf(
					burst.stream().map((request) -> mapper.readTree(request).get("request_id").asString()).toList());
		}
	}

}
