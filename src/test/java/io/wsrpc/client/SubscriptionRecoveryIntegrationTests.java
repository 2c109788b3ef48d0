package io.wsrpc.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import io.wsrpc.pubsub.EventPublisher;
import io.wsrpc.support.TcpProxy;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SubscriptionRecoveryIntegrationTests {

	/** Long enough for the test to publish while the client is away. */
	private static final ReconnectPolicy AFTER_A_SECOND = new ReconnectPolicy(true, Duration.ofSeconds(1),
			Duration.ofSeconds(1), 1, 0, 0);

	@LocalServerPort
	private int port;

	@Autowired
	private EventPublisher events;

	@Test
	void eventsPublishedWhileTheConnectionWasDownReachTheApplicationOnceEachInOrderAfterTheReconnect()
			throws Exception {
		String topic = "recovery.fifty";
		BlockingQueue<String> states = new LinkedBlockingQueue<>();
		BlockingQueue<String> received = new LinkedBlockingQueue<>();
		try (TcpProxy network = new TcpProxy(this.port);
				RpcClient client = RpcClient.connect(URI.create("ws://localhost:" + network.port() + "/ws"),
						ClientOptions.defaults().withReconnect(AFTER_A_SECOND))) {
			client.addListener(recordingInto(states, received));
			client.subscribe(topic, (event) -> received.add(event.offset() + ":" + event.data().asLong())).join();
			publish(topic, 1, 3);
			await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);

			network.cut();
			assertThat(states.poll(10, TimeUnit.SECONDS)).isEqualTo("disconnected");
			publish(topic, 4, 53);
			assertThat(states.poll(10, TimeUnit.SECONDS)).isEqualTo("reconnected");
			publish(topic, 54, 55);

			await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("55:55"));
			assertThat(List.copyOf(received)).as("offsets 1 to 55 once each, in order, each with its own data")
				.containsExactlyElementsOf(LongStream.rangeClosed(1, 55).mapToObj((n) -> n + ":" + n).toList());
		}
	}

	@Test
	void theApplicationIsToldWhenMoreEventsWereMissedThanHistoryHoldsAndLiveEventsFlowAgain() throws Exception {
		String topic = "recovery.too-many";
		BlockingQueue<String> states = new LinkedBlockingQueue<>();
		BlockingQueue<String> received = new LinkedBlockingQueue<>();
		try (TcpProxy network = new TcpProxy(this.port);
				RpcClient client = RpcClient.connect(URI.create("ws://localhost:" + network.port() + "/ws"),
						ClientOptions.defaults().withReconnect(AFTER_A_SECOND))) {
			client.addListener(recordingInto(states, received));
			client.subscribe(topic, (event) -> received.add(event.offset() + ":" + event.data().asLong())).join();
			publish(topic, 1, 1);
			assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("1:1");

			network.cut();
			assertThat(states.poll(10, TimeUnit.SECONDS)).isEqualTo("disconnected");
			publish(topic, 2, 151);
			assertThat(states.poll(10, TimeUnit.SECONDS)).isEqualTo("reconnected");
			assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("recovery failed " + topic);
			publish(topic, 152, 152);

			assertThat(received.poll(10, TimeUnit.SECONDS)).as("a live event").isEqualTo("152:152");
			assertThat(received).as("none of the missed events").isEmpty();
		}
	}

	private void publish(String topic, long from, long to) {
		for (long n = from; n <= to; n++) {
			this.events.publish(topic, n);
		}
	}

	private static ConnectionListener recordingInto(BlockingQueue<String> states, BlockingQueue<String> received) {
		return new ConnectionListener() {

			@Override
			public void onConnected(URI uri, boolean reconnect) {
				states.add(reconnect ? "reconnected" : "connected");
			}

			@Override
			public void onDisconnected(int statusCode, String reason) {
				states.add("disconnected");
			}

			@Override
			public void onRecoveryFailed(String topic) {
				received.add("recovery failed " + topic);
			}

		};
	}

}
