package io.wsrpc.pubsub;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionsTests {

	@Test
	void anEventIsWrittenOncePerProtocolAndTheSameTextGoesToEverySubscriber() {
		Subscriptions subscriptions = new Subscriptions(10);
		CountingEncoder first = new CountingEncoder("a");
		CountingEncoder second = new CountingEncoder("b");
		List<Sink> sinks = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			Sink sink = new Sink("s" + i, (i % 2 == 0) ? first : second);
			sinks.add(sink);
			subscriptions.subscribe(sink, (i < 3) ? "news.sport" : "news.*", "e", 0);
		}

		assertThat(subscriptions.deliver(new Event("news.sport", "1", 1, "e"))).isEqualTo(6);

		assertThat(first.calls.get()).isEqualTo(1);
		assertThat(second.calls.get()).isEqualTo(1);
		for (Sink sink : sinks) {
			assertThat(sink.frames).hasSize(1);
			assertThat(sink.frames.get(0))
				.isSameAs(((sink.encoder == first) ? sinks.get(0) : sinks.get(1)).frames.get(0));
		}
	}

	@Test
	void aFanOutSplitBetweenThreadsReachesEverySubscriberOnceWithEventsInOrder() {
		try (Subscriptions subscriptions = new Subscriptions(10)) {
			CountingEncoder encoder = new CountingEncoder("x");
			List<Sink> sinks = new ArrayList<>();
			for (int i = 0; i < Subscriptions.PARALLEL_FROM * 4 + 3; i++) {
				Sink sink = new Sink("s" + i, encoder);
				sinks.add(sink);
				subscriptions.subscribe(sink, (i % 3 == 0) ? "big.*" : "big.topic", "e", 0);
			}
			List<String> expected = new ArrayList<>();
			for (int offset = 1; offset <= 50; offset++) {
				assertThat(subscriptions.deliver(new Event("big.topic", Integer.toString(offset), offset, "e")))
					.isEqualTo(sinks.size());
				expected.add("x:" + offset);
			}

			assertThat(encoder.calls.get()).isEqualTo(50);
			for (Sink sink : sinks) {
				assertThat(sink.frames).as(sink.id()).isEqualTo(expected);
			}
			if (Runtime.getRuntime().availableProcessors() > 1) {
				assertThat(sinks.stream().map((sink) -> sink.thread).distinct().count())
					.as("threads that sent, with more than one core")
					.isGreaterThan(1);
			}
		}
	}

	@Test
	void anExactSubscriptionGetsOnlyEventsAfterItsOffsetUntilTheEpochChanges() {
		Subscriptions subscriptions = new Subscriptions(10);
		Sink sink = new Sink("s", new CountingEncoder("x"));
		subscriptions.subscribe(sink, "t", "e1", 5);

		subscriptions.deliver(new Event("t", "5", 5, "e1"));
		subscriptions.deliver(new Event("t", "6", 6, "e1"));
		subscriptions.deliver(new Event("t", "6", 6, "e1"));
		subscriptions.deliver(Event.unordered("t", "none"));
		subscriptions.deliver(new Event("t", "1", 1, "e2"));

		assertThat(sink.frames).containsExactly("x:6", "x:none", "x:1");
	}

	@Test
	void aClosedConnectionTakesNoSubscriptionAndLeavesNoneBehind() {
		Subscriptions subscriptions = new Subscriptions(10);
		Sink sink = new Sink("s", new CountingEncoder("x"));
		subscriptions.subscribe(sink, "kept", "e", 0);
		sink.open = false;

		// the connection closed, and its subscribe ran before dropAll did
		assertThat(subscriptions.subscribe(sink, "late", "e", 0)).isFalse();
		subscriptions.dropAll(sink);

		assertThat(subscriptions.indexed()).isZero();
	}

	private static final class CountingEncoder implements EventEncoder {

		private final String prefix;

		private final AtomicInteger calls = new AtomicInteger();

		CountingEncoder(String prefix) {
			this.prefix = prefix;
		}

		@Override
		public String encode(Event event) {
			this.calls.incrementAndGet();
			return new String(this.prefix + ":" + event.dataJson());
		}

	}

	private static final class Sink implements EventSink {

		private final String id;

		private final EventEncoder encoder;

		private final List<String> frames = new ArrayList<>();

		private volatile boolean open = true;

		private volatile String thread;

		Sink(String id, EventEncoder encoder) {
			this.id = id;
			this.encoder = encoder;
		}

		@Override
		public String id() {
			return this.id;
		}

		@Override
		public boolean isOpen() {
			return this.open;
		}

		@Override
		public EventEncoder encoder() {
			return this.encoder;
		}

		@Override
		public synchronized void send(String frame) {
			this.frames.add(frame);
			this.thread = Thread.currentThread().getName();
		}

	}

}
