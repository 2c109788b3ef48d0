package io.wsrpc.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The subscriptions of one client, and for each exact topic where the application stands:
 * the epoch and the offset of the last event handed to it. A subscribe holds back the
 * topic's events until its reply, which tells which of them belong to the subscription
 * (events replayed from history come before the reply); from then on each event reaches
 * the application once, in offset order. A wildcard subscription has no offsets and
 * passes every event on as it comes.
 * <p>
 * Thread-safe. Each subscription has its own monitor, under which its consumer is called,
 * so the events of one subscription reach the application one at a time.
 */
final class Subscriptions {

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final Consumer<String> onRecoveryFailed;

	/**
	 * @param onRecoveryFailed told the topic when a renewal could not replay every missed
	 * event
	 */
	Subscriptions(Consumer<String> onRecoveryFailed) {
		this.onRecoveryFailed = onRecoveryFailed;
	}

	/**
	 * Adds a subscription, or gives an existing one a new consumer.
	 * @param pattern the topic or wildcard
	 * @param onEvent the consumer
	 * @return the subscribe to send; for an existing subscription one whose reply changes
	 * nothing here
	 */
	Renewal add(String pattern, Consumer<Frames.Event> onEvent) {
		Entry fresh = new Entry(pattern, onEvent);
		Entry existing = this.entries.putIfAbsent(pattern, fresh);
		if (existing != null) {
			synchronized (existing) {
				existing.onEvent = onEvent;
				return new Renewal(pattern, Map.of("topic", pattern), -1);
			}
		}
		synchronized (fresh) {
			return fresh.renew(false);
		}
	}

	/**
	 * Ends a subscription; its events are no longer passed on.
	 * @param pattern the topic or wildcard
	 */
	void remove(String pattern) {
		this.entries.remove(pattern);
	}

	/**
	 * Starts renewing every subscription on a new connection: each holds back its events
	 * until the reply, and each exact topic with a known epoch asks, with {@code since},
	 * for the events after the last one the application has.
	 * @return the subscribes to send
	 */
	List<Renewal> renewAll() {
		List<Renewal> renewals = new ArrayList<>();
		for (Entry entry : this.entries.values()) {
			synchronized (entry) {
				renewals.add(entry.renew(true));
			}
		}
		return renewals;
	}

	/**
	 * Takes the reply to a subscribe.
	 * @param renewal the subscribe
	 * @param reply the result of the reply
	 * @return the reply as a value
	 */
	Subscription replied(Renewal renewal, JsonNode reply) {
		boolean isNew = reply.path("new").asBoolean();
		long offset = reply.path("offset").asLong(0);
		String epoch = reply.path("epoch").isString() ? reply.path("epoch").asString() : null;
		JsonNode recovered = reply.get("recovered");
		Entry entry = this.entries.get(renewal.pattern());
		if (entry != null) {
			synchronized (entry) {
				if (entry.isAnswered(renewal)) {
					entry.settle(isNew, offset, epoch, (recovered != null) ? recovered.asBoolean() : null);
				}
			}
		}
		return new Subscription(isNew, offset, epoch);
	}

	/**
	 * Takes the failure of a subscribe.
	 * @param renewal the subscribe
	 * @param connectionLost whether the connection was lost before the reply (the next
	 * connection renews the subscription), rather than the server refusing or not
	 * answering
	 * @param forget whether to drop the subscription, which the application asked for
	 * only now
	 */
	void failed(Renewal renewal, boolean connectionLost, boolean forget) {
		Entry entry = this.entries.get(renewal.pattern());
		if (entry == null) {
			return;
		}
		synchronized (entry) {
			if (!entry.isAnswered(renewal)) {
				return;
			}
			if (forget) {
				this.entries.remove(renewal.pattern(), entry);
			}
			else if (!connectionLost) {
				entry.settle(false, 0, null, null);
			}
		}
	}

	/**
	 * Passes an event on to every subscription it matches.
	 * @param event the event
	 * @param current whether the connection it came on is still the client's connection;
	 * asked under each subscription's monitor, so that no event of a replaced connection
	 * passes after the subscription has been renewed
	 */
	void deliver(Frames.Event event, BooleanSupplier current) {
		for (Entry entry : this.entries.values()) {
			if (matches(entry.pattern, event.topic())) {
				synchronized (entry) {
					if (current.getAsBoolean()) {
						entry.accept(event);
					}
				}
			}
		}
	}

	private static boolean matches(String pattern, String topic) {
		return pattern.endsWith(".*") ? topic.startsWith(pattern.substring(0, pattern.length() - 1))
				: pattern.equals(topic);
	}

	/**
	 * A subscribe to send.
	 *
	 * @param pattern the topic or wildcard
	 * @param params its params
	 * @param generation which subscribe of the subscription it is; -1 for one whose reply
	 * changes nothing
	 */
	record Renewal(String pattern, Map<String, Object> params, long generation) {
	}

	/**
	 * One subscription; guarded by its own monitor.
	 */
	private final class Entry {

		private final String pattern;

		private final boolean exact;

		private Consumer<Frames.Event> onEvent;

		/** The epoch of {@link #last}, or {@code null} before the first reply. */
		private @Nullable String epoch;

		/** The offset of the last event passed on, or where the subscription began. */
		private long last;

		private long generation;

		/** Whether events are held back until the reply to the latest subscribe. */
		private boolean awaiting;

		private final List<Frames.Event> held = new ArrayList<>();

		Entry(String pattern, Consumer<Frames.Event> onEvent) {
			this.pattern = pattern;
			this.exact = !pattern.endsWith(".*");
			this.onEvent = onEvent;
		}

		Renewal renew(boolean resume) {
			this.generation++;
			// held events came on the connection being replaced; the server replays them
			this.held.clear();
			this.awaiting = this.exact;
			Map<String, Object> params = new LinkedHashMap<>();
			params.put("topic", this.pattern);
			if (resume && this.exact && this.epoch != null) {
				params.put("since", Map.of("offset", this.last, "epoch", this.epoch));
			}
			return new Renewal(this.pattern, params, this.generation);
		}

		boolean isAnswered(Renewal renewal) {
			return renewal.generation() == this.generation && this.awaiting;
		}

		void settle(boolean isNew, long offset, @Nullable String epoch, @Nullable Boolean recovered) {
			this.awaiting = false;
			if (isNew && !Boolean.TRUE.equals(recovered)) {
				// a subscription that begins at the topic's latest offset
				if (Boolean.FALSE.equals(recovered)) {
					Subscriptions.this.onRecoveryFailed.accept(this.pattern);
				}
				this.epoch = epoch;
				this.last = offset;
			}
			else if (this.epoch == null) {
				this.epoch = epoch;
			}
			for (Frames.Event event : this.held) {
				accept(event);
			}
			this.held.clear();
			if (isNew) {
				// every event up to the reply's offset was replayed before the reply
				this.last = Math.max(this.last, offset);
			}
		}

		void accept(Frames.Event event) {
			if (!this.exact || event.offset() == 0) {
				this.onEvent.accept(event);
				return;
			}
			if (this.awaiting) {
				this.held.add(event);
				return;
			}
			if (event.offset() <= this.last) {
				if (event.offset() != 1) {
					// delivered already
					return;
				}
				// the topic's history began again under an epoch not yet known here: a
				// renewal with the old epoch gets "recovered": false, as it should
			}
			this.last = event.offset();
			this.onEvent.accept(event);
		}

	}

}
