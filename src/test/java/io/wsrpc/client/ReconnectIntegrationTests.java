package io.wsrpc.client;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.wsrpc.WsrpcApplication;
import io.wsrpc.dispatch.Dispatcher;
import io.wsrpc.pubsub.EventPublisher;
import io.wsrpc.support.TcpProxy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class ReconnectIntegrationTests {

	@Test
	void clientReconnectsAfterTheServerRestarts() throws Exception {
		int port = freePort();
		ConfigurableApplicationContext server = start(port);
		BlockingQueue<String> events = new LinkedBlockingQueue<>();
		ClientOptions options = ClientOptions.defaults()
			.withReconnect(new ReconnectPolicy(true, Duration.ofMillis(100), Duration.ofMillis(500), 2, 0.2, 0));
		try (RpcClient client = RpcClient.connect(URI.create("ws://localhost:" + port + "/ws"), options)) {
			client.addListener(recordingInto(events));
			assertThat(client.call("ping", null, String.class).join()).isEqualTo("pong");

			CompletableFuture<Long> inFlight = client.call("sleep", Map.of("ms", 10_000), Long.class);
			Thread.sleep(200);
			server.close();

			assertThatExceptionOfType(CompletionException.class).isThrownBy(inFlight::join)
				.withCauseInstanceOf(RpcCallException.class)
				.withMessageContaining("overloaded");
			assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("disconnected 1001");
			assertThatExceptionOfType(CompletionException.class)
				.isThrownBy(() -> client.call("ping", null, String.class).join())
				.withCauseInstanceOf(RpcConnectionException.class);

			server = start(port);
			assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("reconnected");
			assertThat(client.isConnected()).isTrue();
			assertThat(client.call("ping", null, String.class).join()).isEqualTo("pong");
		}
		finally {
			server.close();
		}
	}

	@Test
	void callsInFlightWhenTheConnectionDropsFailWithAConnectionErrorAndTheClientReconnects() throws Exception {
		ConfigurableApplicationContext server = start(freePort());
		BlockingQueue<String> events = new LinkedBlockingQueue<>();
		ClientOptions options = ClientOptions.defaults()
			.withReconnect(new ReconnectPolicy(true, Duration.ofMillis(100), Duration.ofMillis(500), 2, 0.2, 0));
		int serverPort = ((WebServerApplicationContext) server).getWebServer().getPort();
		try (TcpProxy network = new TcpProxy(serverPort);
				RpcClient client = RpcClient.connect(URI.create("ws://localhost:" + network.port() + "/ws"), options)) {
			client.addListener(recordingInto(events));
			BlockingQueue<String> received = new LinkedBlockingQueue<>();
			assertThat(client.subscribe("news", (event) -> received.add(event.data().asString())).join().isNew())
				.isTrue();
			CompletableFuture<Long> inFlight = client.call("sleep", Map.of("ms", 10_000), Long.class);
			Thread.sleep(200);
			network.cut();

			assertThatExceptionOfType(CompletionException.class).isThrownBy(inFlight::join)
				.withCauseInstanceOf(RpcConnectionException.class)
				.withMessageContaining("was lost");
			assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("disconnected 1006");
			assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("reconnected");
			assertThat(client.call("ping", null, String.class).join()).isEqualTo("pong");
			EventPublisher publisher = server.getBean(EventPublisher.class);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (publisher.publish("news", "after reconnect") == 0 && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertThat(received.poll(10, TimeUnit.SECONDS)).as("the subscription was renewed")
				.isEqualTo("after reconnect");
		}
		finally {
			server.close();
		}
	}

	@Test
	void clientKeepsReconnectingWhenTheServerClosesRightAfterEachUpgrade() throws Exception {
		AtomicInteger handshakes = new AtomicInteger();
		ClientOptions options = ClientOptions.defaults()
			.withReconnect(new ReconnectPolicy(true, Duration.ofMillis(100), Duration.ofMillis(200), 2, 0.2, 0));
		try (ServerSocket server = new ServerSocket(0)) {
			Thread acceptor = new Thread(() -> upgradeAndCloseAtOnce(server, handshakes), "upgrade-and-close");
			acceptor.setDaemon(true);
			acceptor.start();
			try (RpcClient client = RpcClient.connect(URI.create("ws://localhost:" + server.getLocalPort() + "/ws"),
					options)) {
				// the first connection, then reconnects after a close that came before
				// connect() and reconnect() had the connection in hand
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(handshakes).hasValueGreaterThan(2));
			}
		}
	}

	@Test
	void clientWithSeveralUrlsMovesToTheNextAtOnceWhenItsServerSaysItIsShuttingDown() throws Exception {
		int portA = freePort();
		int portB = freePort();
		ConfigurableApplicationContext serverA = start(portA, "wsrpc.shutdown-timeout=10s");
		ConfigurableApplicationContext serverB = start(portB, "wsrpc.shutdown-timeout=100ms");
		BlockingQueue<String> events = new LinkedBlockingQueue<>();
		ClientOptions options = ClientOptions.defaults()
			.withReconnect(new ReconnectPolicy(true, Duration.ofSeconds(10), Duration.ofSeconds(10), 1, 0, 0));
		try (RpcClient client = RpcClient.connect(
				List.of(URI.create("ws://localhost:" + portA + "/ws"), URI.create("ws://localhost:" + portB + "/ws")),
				options)) {
			client.addListener(new ConnectionListener() {

				@Override
				public void onConnected(URI uri, boolean reconnect) {
					events.add("reconnected " + uri.getPort());
				}

				@Override
				public void onDisconnected(int statusCode, String reason) {
					events.add("disconnected " + statusCode);
				}

			});
			CompletableFuture<Long> inFlight = client.call("sleep", Map.of("ms", 3000), Long.class);
			Dispatcher dispatcherA = serverA.getBean(Dispatcher.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> dispatcherA.inFlight() == 1);

			long closing = System.nanoTime();
			// on a thread of its own: closing blocks for the drain, and on JDK 21+ the
			// HTTP
			// client completes its WebSocket handshakes on the common pool, whose one
			// worker on two cores must stay free for the move to B
			CompletableFuture<Void> closed = CompletableFuture.runAsync(serverA::close,
					(task) -> new Thread(task, "close-a").start());
			assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("reconnected " + portB);
			assertThat(Duration.ofNanos(System.nanoTime() - closing)).as("well before the reconnect delay of 10 s")
				.isLessThan(Duration.ofSeconds(2));
			assertThat(inFlight).as("A waits for its call before it closes").isNotDone();

			assertThat(client.call("ping", null, String.class).join()).isEqualTo("pong");
			assertThat(inFlight.join()).as("the call on A still gets its reply").isEqualTo(3000L);
			closed.join();
			assertThat(client.isConnected()).isTrue();
			assertThat(events).as("no drop seen, as the client had moved before A closed").isEmpty();
		}
		finally {
			serverA.close();
			serverB.close();
		}
	}

	@Test
	void clientWithSeveralUrlsMovesToTheNextAtOnceWhenItsServerClosesWith1001() throws Exception {
		AtomicInteger handshakesA = new AtomicInteger();
		AtomicInteger handshakesB = new AtomicInteger();
		ClientOptions options = ClientOptions.defaults()
			.withReconnect(new ReconnectPolicy(true, Duration.ofSeconds(10), Duration.ofSeconds(10), 1, 0, 0));
		try (ServerSocket serverA = new ServerSocket(0); ServerSocket serverB = new ServerSocket(0)) {
			startUpgradingAndClosing(serverA, handshakesA);
			startUpgradingAndClosing(serverB, handshakesB);
			try (RpcClient client = RpcClient.connect(List.of(URI.create("ws://localhost:" + serverA.getLocalPort()),
					URI.create("ws://localhost:" + serverB.getLocalPort())), options)) {
				// each server closes with 1001 right after the upgrade; without a delay
				// between them, the client goes A, B, A, B, ...
				await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
					assertThat(handshakesA).hasValueGreaterThan(1);
					assertThat(handshakesB).hasValueGreaterThan(1);
				});
			}
		}
	}

	private static void startUpgradingAndClosing(ServerSocket server, AtomicInteger handshakes) {
		Thread acceptor = new Thread(() -> upgradeAndCloseAtOnce(server, handshakes), "upgrade-and-close");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Answers every WebSocket handshake with 101 and a close frame (1001) in one write.
	 */
	private static void upgradeAndCloseAtOnce(ServerSocket server, AtomicInteger handshakes) {
		while (!server.isClosed()) {
			try (Socket socket = server.accept()) {
				BufferedReader in = new BufferedReader(
						new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
				String key = null;
				for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
					if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
						key = line.substring(line.indexOf(':') + 1).trim();
					}
				}
				byte[] digest = MessageDigest.getInstance("SHA-1")
					.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
				String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
						+ "Sec-WebSocket-Accept: " + Base64.getEncoder().encodeToString(digest) + "\r\n\r\n";
				OutputStream out = socket.getOutputStream();
				ByteArrayOutputStream bytes = new ByteArrayOutputStream();
				bytes.writeBytes(response.getBytes(StandardCharsets.US_ASCII));
				bytes.writeBytes(new byte[] { (byte) 0x88, 0x02, 0x03, (byte) 0xE9 });
				out.write(bytes.toByteArray());
				out.flush();
				handshakes.incrementAndGet();
				// wait for the client's close frame or end of stream
				socket.setSoTimeout(2000);
				socket.getInputStream().read();
			}
			catch (IOException | NoSuchAlgorithmException ex) {
				// the test is over, or the client gave up on this connection
			}
		}
	}

	private static ConnectionListener recordingInto(BlockingQueue<String> events) {
		return new ConnectionListener() {

			@Override
			public void onConnected(URI uri, boolean reconnect) {
				events.add(reconnect ? "reconnected" : "connected");
			}

			@Override
			public void onDisconnected(int statusCode, String reason) {
				events.add("disconnected " + statusCode);
			}

		};
	}

	private static ConfigurableApplicationContext start(int port) {
		return start(port, "wsrpc.shutdown-timeout=100ms");
	}

	private static ConfigurableApplicationContext start(int port, String shutdownTimeout) {
		return new SpringApplicationBuilder(WsrpcApplication.class).properties("server.port=" + port, shutdownTimeout)
			.run();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
