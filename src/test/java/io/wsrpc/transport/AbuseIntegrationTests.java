package io.wsrpc.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.pubsub.EventPublisher;
import io.wsrpc.support.RawWebSocket;
import io.wsrpc.support.RawWebSocket.Frame;
import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that misbehave on the wire, played by a {@link RawWebSocket}. Messages that
 * must arrive together go out in one TCP write, and the bucket refills one message a
 * second, so how fast a test sends cannot change which of its messages pass. The close
 * reason tells the two causes of a 1001 apart: a missing pong and an idle connection.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "wsrpc.rate-limit.messages-per-second=1", "wsrpc.rate-limit.burst=5",
				"wsrpc.rate-limit.close-after=20", "wsrpc.ping-interval=250ms", "wsrpc.pong-timeout=750ms",
				"wsrpc.idle-timeout=3s", "wsrpc.max-message-size=64KB" })
class AbuseIntegrationTests {

	private static final Duration SEND_EVERY = Duration.ofMillis(500);

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meterRegistry;

	@Autowired
	private EventPublisher events;

	@Test
	void messagesBeyondTheBurstGetRateLimitedWithARetryHint() throws IOException {
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/ws").answeringPings()) {
			client.sendText(IntStream.range(0, 10)
				.mapToObj((i) -> "{\"request_id\": " + i + ", \"action\": \"ping\"}")
				.toArray(String[]::new));
			Map<Integer, JsonNode> replies = new HashMap<>();
			for (int i = 0; i < 10; i++) {
				JsonNode reply = json(client.nextText());
				replies.put(reply.get("request_id").asInt(), reply);
			}
			for (int i = 0; i < 5; i++) {
				assertThat(replies.get(i))
					.isEqualTo(json("{\"request_id\": " + i + ", \"status\": \"ok\", \"result\": \"pong\"}"));
			}
			for (int i = 5; i < 10; i++) {
				long retryAfter = replies.get(i).at("/error/details/retry_after_ms").asLong();
				assertThat(retryAfter).as("retry_after_ms of %s", i).isBetween(1L, 1000L);
				assertThat(replies.get(i)).isEqualTo(json("{\"request_id\": " + i + """
						, "status": "error", "error": {"code": "rate_limited",
						"message": "This connection is sending faster than its rate limit; retry after %d ms.",
						"details": {"retry_after_ms": %d}}}""".formatted(retryAfter, retryAfter)));
			}
		}
	}

	@Test
	void eachCallOfABatchTakesItsOwnPlaceInTheRateLimitAndTheBatchCountsAsOneRefusedMessage() throws IOException {
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/jsonrpc").answeringPings()) {
			client.sendText(IntStream.range(0, 30)
				.mapToObj((i) -> "{\"jsonrpc\": \"2.0\", \"method\": \"ping\", \"id\": " + i + "}")
				.collect(Collectors.joining(", ", "[", "]")));
			JsonNode replies = json(client.nextText());
			assertThat(replies.size()).isEqualTo(30);
			for (int i = 0; i < 5; i++) {
				assertThat(replies.get(i))
					.isEqualTo(json("{\"jsonrpc\": \"2.0\", \"result\": \"pong\", \"id\": " + i + "}"));
			}
			for (int i = 5; i < 30; i++) {
				long retryAfter = replies.get(i).at("/error/data/details/retry_after_ms").asLong();
				assertThat(retryAfter).as("retry_after_ms of %s", i).isBetween(1L, 1000L);
				assertThat(replies.get(i)).isEqualTo(json("""
						{"jsonrpc": "2.0", "error": {"code": -32005,
						"message": "This connection is sending faster than its rate limit; retry after %d ms.",
						"data": {"code": "rate_limited", "details": {"retry_after_ms": %d}}}, "id": %d}"""
					.formatted(retryAfter, retryAfter, i)));
			}
			// 25 refused calls, more than close-after, in one message: the connection
			// stays
			// open and is served again once the bucket refills
			await().atMost(Duration.ofSeconds(10)).pollInterval(SEND_EVERY).untilAsserted(() -> {
				client.sendText("{\"jsonrpc\": \"2.0\", \"method\": \"ping\", \"id\": \"later\"}");
				assertThat(json(client.nextText()))
					.isEqualTo(json("{\"jsonrpc\": \"2.0\", \"result\": \"pong\", \"id\": \"later\"}"));
			});
		}
	}

	@Test
	void connectionThatKeepsFloodingIsClosedWith1008() throws IOException {
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/jsonrpc").answeringPings()) {
			// 5 pass, 20 are refused, and the next one closes the connection. Each
			// message
			// waits for its reply: bytes still unread when the server closes would turn
			// its close into a TCP reset that can overtake the close frame
			Frame frame = null;
			for (int i = 0; i < 200; i++) {
				client.sendText("{\"jsonrpc\": \"2.0\", \"method\": \"ping\", \"id\": " + i + "}");
				frame = client.nextFrame();
				while (frame.opcode() == RawWebSocket.PING || frame.opcode() == RawWebSocket.PONG) {
					frame = client.nextFrame();
				}
				if (frame.opcode() == RawWebSocket.CLOSE) {
					break;
				}
			}
			assertThat(frame).isNotNull();
			assertThat(frame.opcode()).as("the frame that ended the flood").isEqualTo(RawWebSocket.CLOSE);
			assertThat(frame.code()).isEqualTo(1008);
			assertThat(frame.reason()).isEqualTo(RpcWebSocketHandler.FLOODING.getReason());
		}
	}

	@Test
	void peerThatKeepsSendingButAnswersNoPingIsClosedForTheMissingPong() throws IOException {
		double closedBefore = closedWith1001();
		ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/ws")) {
			keepSending(client, sender);
			Frame close = client.awaitClose();
			assertThat(close.code()).isEqualTo(1001);
			assertThat(close.reason()).isEqualTo(Keepalive.NO_PONG.getReason());
		}
		finally {
			sender.shutdownNow();
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(closedWith1001()).isGreaterThan(closedBefore));
	}

	@Test
	void peerThatAnswersPingsAndKeepsSendingStaysOpenPastSeveralPongTimeouts() throws IOException {
		ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/ws").answeringPings()) {
			keepSending(client, sender);
			// four pong timeouts, and longer than the idle timeout too
			long end = System.nanoTime() + Duration.ofMillis(3500).toNanos();
			int pings = 0;
			int replies = 0;
			for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
				Frame frame = client.nextFrame(Duration.ofNanos(left));
				if (frame == null) {
					break;
				}
				assertThat(frame.opcode()).as("a frame that is not a close frame; got %s", frame.reason())
					.isNotEqualTo(RawWebSocket.CLOSE);
				pings += (frame.opcode() == RawWebSocket.PING) ? 1 : 0;
				replies += (frame.opcode() == RawWebSocket.TEXT) ? 1 : 0;
			}
			assertThat(pings).as("pings answered").isGreaterThanOrEqualTo(4);
			assertThat(replies).as("replies read").isGreaterThanOrEqualTo(4);
		}
		finally {
			sender.shutdownNow();
		}
	}

	@Test
	void connectionThatSendsNothingIsClosedAfterTheIdleTimeoutThoughItAnswersPings() throws IOException {
		long start = System.nanoTime();
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/ws").answeringPings()) {
			Frame close = client.awaitClose();
			assertThat(close.code()).isEqualTo(1001);
			assertThat(close.reason()).isEqualTo(Keepalive.IDLE.getReason());
		}
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(2900);
	}

	@Test
	void subscriberThatOnlyAnswersPingsIsNotIdleUntilItUnsubscribes() throws Exception {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			assertThat(client.call("""
					{"request_id": 1, "action": "subscribe", "params": {"topic": "quiet.feed"}}""")
				.at("/result/new")
				.asBoolean()).isTrue();
			// longer than the idle timeout of 3 s, answering the server's pings
			client.assertNoMessageWithin(Duration.ofSeconds(4));
			this.events.publish("quiet.feed", "still here");
			assertThat(client.nextMessage().get("data").asString()).isEqualTo("still here");

			assertThat(client.call("""
					{"request_id": 2, "action": "unsubscribe", "params": {"topic": "quiet.feed"}}""")
				.get("result")
				.asBoolean()).isTrue();
			assertThat(client.awaitCloseCode()).isEqualTo(1001);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "/ws", "/jsonrpc" })
	void invalidUtf8InATextFrameClosesTheConnectionWith1007(String path) throws IOException {
		byte[] request = bytes(echoCall(path, "\u00e9"));
		// the e-acute's lead byte 0xC3, then 0x28 where its continuation byte belongs
		request[indexOf(request, (byte) 0xC3) + 1] = (byte) 0x28;
		try (RawWebSocket client = RawWebSocket.connect(this.port, path)) {
			client.send(RawWebSocket.TEXT, true, request);
			assertThat(closeFrameBeforeAnyReply(client).code()).isEqualTo(1007);
		}
	}

	@Test
	void binaryFrameClosesAJsonRpcConnectionWith1003Too() throws IOException {
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/jsonrpc")) {
			client.send(RawWebSocket.BINARY, true, bytes("{\"jsonrpc\": \"2.0\", \"method\": \"ping\", \"id\": 1}"));
			assertThat(closeFrameBeforeAnyReply(client).code()).isEqualTo(1003);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "/ws", "/jsonrpc" })
	void fragmentsSplitInsideACharacterWithAPingBetweenThemAreHandledAsOneMessage(String path) throws IOException {
		byte[] request = bytes(echoCall(path, "1 \u20ac"));
		// the euro sign is three bytes: the first fragment ends after the first of them,
		// the second holds the second
		int euro = indexOf(request, (byte) 0xE2);
		try (RawWebSocket client = RawWebSocket.connect(this.port, path).answeringPings()) {
			client.send(RawWebSocket.TEXT, false, Arrays.copyOfRange(request, 0, euro + 1));
			client.send(RawWebSocket.PING, true, bytes("between"));
			client.send(RawWebSocket.CONTINUATION, false, Arrays.copyOfRange(request, euro + 1, euro + 2));
			client.send(RawWebSocket.CONTINUATION, true, Arrays.copyOfRange(request, euro + 2, request.length));
			Frame pong = client.nextFrame();
			while (pong.opcode() == RawWebSocket.PING) {
				pong = client.nextFrame();
			}
			assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
			assertThat(pong.text()).isEqualTo("between");
			assertThat(json(client.nextText())).isEqualTo(json(echoReply(path, "1 \u20ac")));
		}
	}

	@Test
	void fragmentedMessageOverTheSizeLimitAsAWholeClosesTheConnectionWith1009() throws IOException {
		byte[] bytes = bytes("{\"request_id\": \"big\", \"action\": \"echo\", \"params\": {\"message\": \""
				+ "x".repeat(80_000) + "\"}}");
		int half = bytes.length / 2;
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/ws")) {
			client.send(RawWebSocket.TEXT, false, Arrays.copyOfRange(bytes, 0, half));
			client.send(RawWebSocket.CONTINUATION, true, Arrays.copyOfRange(bytes, half, bytes.length));
			assertThat(closeFrameBeforeAnyReply(client).code()).isEqualTo(1009);
		}
	}

	/**
	 * Sends a call every {@link #SEND_EVERY} from the given thread, so that the
	 * connection is never idle, until the server closes it.
	 */
	private static void keepSending(RawWebSocket client, ScheduledExecutorService sender) {
		AtomicInteger sent = new AtomicInteger();
		sender.scheduleAtFixedRate(() -> {
			try {
				client.sendText("{\"request_id\": " + sent.incrementAndGet() + ", \"action\": \"ping\"}");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex); // closed: stops sending
			}
		}, 0, SEND_EVERY.toMillis(), TimeUnit.MILLISECONDS);
	}

	private static Frame closeFrameBeforeAnyReply(RawWebSocket client) throws IOException {
		Frame frame = client.nextFrame();
		while (frame.opcode() == RawWebSocket.PING) {
			frame = client.nextFrame();
		}
		assertThat(frame.opcode()).as("opcode of the first frame other than a ping; got %s", frame.text())
			.isEqualTo(RawWebSocket.CLOSE);
		return frame;
	}

	private static String echoCall(String path, String message) {
		return path.equals("/ws") ? """
				{"request_id": "e", "action": "echo", "params": {"message": "%s"}}""".formatted(message) : """
				{"jsonrpc": "2.0", "method": "echo", "params": {"message": "%s"}, "id": "e"}""".formatted(message);
	}

	private static String echoReply(String path, String message) {
		return path.equals("/ws") ? """
				{"request_id": "e", "status": "ok", "result": "%s"}""".formatted(message) : """
				{"jsonrpc": "2.0", "result": "%s", "id": "e"}""".formatted(message);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static int indexOf(byte[] bytes, byte wanted) {
		for (int i = 0; i < bytes.length; i++) {
			if (bytes[i] == wanted) {
				return i;
			}
		}
		throw new IllegalArgumentException("no byte " + wanted);
	}

	private double closedWith1001() {
		return this.meterRegistry.counter("rpc.server.connections.closed", "protocol", "ws", "code", "1001").count();
	}

}
