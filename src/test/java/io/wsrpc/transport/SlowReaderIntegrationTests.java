package io.wsrpc.transport;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.support.RawWebSocket;
import io.wsrpc.support.RawWebSocket.Frame;
import io.wsrpc.support.TestMethods;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that stop reading. Each sends small calls with replies of about 420 KB, one at
 * a time, until the server gives up on it, then reads again and must find the close frame
 * with 1008 behind the replies that were written. Sending nothing more once the server
 * gives up matters: Jetty drops a connection that sends after the close, and a request
 * the server has not read then turns the drop into a TCP reset, which overtakes the close
 * frame.
 */
class SlowReaderIntegrationTests {

	private static final String LARGE_REPLY = """
			{"request_id": 1, "action": "test.greet", "params": {"name": "reader", "times": 30000}}""";

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "wsrpc.send-buffer-size=64KB", "wsrpc.send-time-limit=2s" })
	@Import(TestMethods.Config.class)
	class OverTheSendBuffer {

		@LocalServerPort
		private int port;

		@Autowired
		private MeterRegistry meterRegistry;

		@Test
		void clientThatDoesNotReadItsRepliesIsClosedWith1008() throws Exception {
			assertClientThatDoesNotReadIsClosedWith1008(this.port, this.meterRegistry, true);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "wsrpc.send-buffer-size=1GB", "wsrpc.send-time-limit=1s" })
	@Import(TestMethods.Config.class)
	class OverTheSendTimeLimit {

		@LocalServerPort
		private int port;

		@Autowired
		private MeterRegistry meterRegistry;

		@Test
		void clientWhoseRepliesMakeNoProgressIsClosedWith1008() throws Exception {
			assertClientThatDoesNotReadIsClosedWith1008(this.port, this.meterRegistry, true);
		}

		@Test
		void clientWhoseRepliesMakeNoProgressIsDisconnectedAndItsConnectionFreedThoughItNeverReadsAgain()
				throws Exception {
			assertClientThatDoesNotReadIsClosedWith1008(this.port, this.meterRegistry, false);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "wsrpc.send-buffer-size=1GB", "wsrpc.send-time-limit=60s", "wsrpc.memory-budget=64KB" })
	@Import(TestMethods.Config.class)
	class OverTheMemoryBudget {

		@LocalServerPort
		private int port;

		@Autowired
		private MeterRegistry meterRegistry;

		@Test
		void clientWhoseRepliesWaitWhileTheServerIsOverItsMemoryBudgetIsClosedWith1008AndItsBytesFreed()
				throws Exception {
			double held = this.meterRegistry.get("rpc.server.memory.held").gauge().value();
			assertClientThatDoesNotReadIsClosedWith1008(this.port, this.meterRegistry, true);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.meterRegistry.get("rpc.server.memory.held").gauge().value())
					.isEqualTo(held));
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "wsrpc.send-buffer-size=1GB", "wsrpc.send-time-limit=60s", "wsrpc.ping-interval=250ms",
					"wsrpc.pong-timeout=750ms" })
	@Import(TestMethods.Config.class)
	class PongTimeoutBeforeTheSendTimeLimit {

		@LocalServerPort
		private int port;

		@Autowired
		private MeterRegistry meterRegistry;

		@Test
		void clientThatStopsReadingIsDisconnectedSoonAfterThePongTimeoutThoughItsCloseFrameCannotBeSent()
				throws Exception {
			double openBefore = openConnections(this.meterRegistry);
			double repliesBefore = repliesSent(this.meterRegistry);
			try (RawWebSocket client = RawWebSocket.connect(this.port, "/ws")) {
				// 17 MB of replies, more than the kernel's buffers hold: the ping and the
				// close frame wait behind them
				for (int i = 0; i < 40; i++) {
					client.sendText(LARGE_REPLY);
				}
				await().atMost(Duration.ofSeconds(20))
					.until(() -> repliesSent(this.meterRegistry) >= repliesBefore + 40);
				// the pong timeout, then a second for the close; the send time limit is a
				// minute away
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(openConnections(this.meterRegistry)).isEqualTo(openBefore));
			}
		}

	}

	/**
	 * Sends calls without reading until the server gives up on the client, then checks
	 * that the server frees the connection and counts one slow reader.
	 * @param readsAgain whether the client then reads, and must find the close frame with
	 * 1008; if not, the server must drop it all the same
	 */
	static void assertClientThatDoesNotReadIsClosedWith1008(int port, MeterRegistry meterRegistry, boolean readsAgain)
			throws Exception {
		double slowBefore = slowReaders(meterRegistry);
		double openBefore = openConnections(meterRegistry);
		double repliesBefore = repliesSent(meterRegistry);
		try (RawWebSocket client = RawWebSocket.connect(port, "/ws")) {
			// 40 replies are 17 MB, more than the kernel's buffers hold
			for (int i = 1; i <= 40 && slowReaders(meterRegistry) == slowBefore; i++) {
				client.sendText(LARGE_REPLY);
				double replies = repliesBefore + i;
				await().atMost(Duration.ofSeconds(10))
					.pollInterval(Duration.ofMillis(1))
					.until(() -> repliesSent(meterRegistry) >= replies || slowReaders(meterRegistry) > slowBefore);
			}
			await().atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> slowReaders(meterRegistry) > slowBefore);
			if (readsAgain) {
				assertClosedWith1008UnlessDropped(client);
			}
			else {
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(openConnections(meterRegistry)).isEqualTo(openBefore));
			}
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(openConnections(meterRegistry)).isEqualTo(openBefore));
		assertThat(slowReaders(meterRegistry)).isEqualTo(slowBefore + 1);
	}

	/**
	 * Reads past the replies that were written up to the close frame, which must say
	 * 1008. A client whose buffers are full may find the connection dropped instead, by a
	 * TCP reset or an end of stream, when the server gives up waiting for it to read.
	 */
	private static void assertClosedWith1008UnlessDropped(RawWebSocket client) throws IOException {
		Frame close;
		try {
			close = client.awaitClose();
		}
		catch (EOFException ex) {
			return;
		}
		catch (SocketException ex) {
			assertThat(ex).hasMessageContaining("reset");
			return;
		}
		assertThat(close.code()).isEqualTo(1008);
		assertThat(close.reason()).isEqualTo(Connection.TOO_SLOW.getReason());
	}

	private static double slowReaders(MeterRegistry meterRegistry) {
		return meterRegistry.counter("rpc.server.connections.slow").count();
	}

	private static double repliesSent(MeterRegistry meterRegistry) {
		return meterRegistry.counter("rpc.server.messages", "protocol", "ws", "direction", "out").count();
	}

	private static double openConnections(MeterRegistry meterRegistry) {
		return meterRegistry.get("rpc.server.connections").gauge().value();
	}

}
