package io.wsrpc.pubsub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.wsrpc.WsrpcProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The memory broker with 10 KB for every topic's history together.
 */
class MemoryBrokerTests {

	private final MemoryBroker broker = new MemoryBroker(new Subscriptions(10),
			new TopicRules(new WsrpcProperties.PubSub(10, List.of(), List.of(), 100, Duration.ofMinutes(5),
					DataSize.ofKilobytes(10), List.of())),
			DataSize.ofKilobytes(10));

	@AfterEach
	void close() {
		this.broker.close();
	}

	@Test
	void historyOfEveryTopicTogetherStaysWithinItsMemoryDroppingTheTopicsOldestEventsFirst() {
		Subscribed start = this.broker.subscribe(new Sink("first"), "heavy", null);
		for (int n = 1; n <= 20; n++) {
			this.broker.publish("heavy", kilobyte(n));
		}
		Sink late = new Sink("late");

		assertThat(this.broker.subscribe(late, "heavy", new Since(start.offset(), start.epoch())).recovered())
			.as("twenty events of 1 KB in a history of 10 KB")
			.isFalse();
		Sink recent = new Sink("recent");
		assertThat(this.broker.subscribe(recent, "heavy", new Since(start.offset() + 12, start.epoch())).recovered())
			.isTrue();
		assertThat(recent.frames).containsExactlyElementsOf(
				List.of(13, 14, 15, 16, 17, 18, 19, 20).stream().map(MemoryBrokerTests::kilobyte).toList());
	}

	@Test
	void aTopicOverTheMemoryKeepsNoGapInItsHistory() {
		Subscribed other = this.broker.subscribe(new Sink("other"), "other", null);
		for (int n = 1; n <= 9; n++) {
			this.broker.publish("other", kilobyte(n));
		}
		Subscribed start = this.broker.subscribe(new Sink("first"), "small", null);
		for (int n = 1; n <= 3; n++) {
			this.broker.publish("small", kilobyte(n));
		}
		Sink late = new Sink("late");

		// the memory held one of small's events at most; whatever it kept runs to the
		// latest
		Subscribed recovered = this.broker.subscribe(late, "small", new Since(start.offset() + 2, start.epoch()));
		assertThat(recovered.recovered()).isTrue();
		assertThat(late.frames).containsExactly(kilobyte(3));
		assertThat(
				this.broker.subscribe(new Sink("older"), "small", new Since(start.offset(), start.epoch())).recovered())
			.isFalse();
		assertThat(this.broker.subscribe(new Sink("old"), "other", new Since(other.offset() + 8, other.epoch()))
			.recovered()).isTrue();
	}

	private static String kilobyte(int n) {
		return "\"" + String.valueOf(n).repeat(998 / String.valueOf(n).length()) + "\"";
	}

	private static final class Sink implements EventSink {

		private final String id;

		private final List<String> frames = new ArrayList<>();

		Sink(String id) {
			this.id = id;
		}

		@Override
		public String id() {
			return this.id;
		}

		@Override
		public boolean isOpen() {
			return true;
		}

		@Override
		public EventEncoder encoder() {
			return Event::dataJson;
		}

		@Override
		public void send(String frame) {
			this.frames.add(frame);
		}

	}

}
