package io.wsrpc.pubsub;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import io.wsrpc.api.RpcException;

/**
 * The subscriptions of this instance's connections: exact topics and wildcard prefixes,
 * each mapped to its subscribers. Subscribing, unsubscribing and dropping a closed
 * connection's subscriptions are atomic per connection, so a subscription is either in
 * every index or in none, and a connection that closed keeps none.
 * <p>
 * Each exact subscription remembers the offset of the last event it was sent, and gets
 * only events after it: an event replayed from history is never sent again live. The
 * broker delivers the events of one topic one at a time, in offset order. Fan-out looks
 * up the topic and each of its dot-prefixes and writes the frame once per protocol, as
 * text and UTF-8 bytes, then sends the same bytes to every subscriber; a large fan-out is
 * split between the calling thread and the other cores, and ends when every subscriber's
 * frame is handed to its connection. Thread-safe.
 */
public final class Subscriptions implements AutoCloseable {

	/** Fan-outs to at least this many subscribers are split between threads. */
	static final int PARALLEL_FROM = 512;

	private final Map<String, Map<EventSink, Position>> exact = new ConcurrentHashMap<>();

	private final Map<String, Set<EventSink>> prefixes = new ConcurrentHashMap<>();

	private final Map<String, Patterns> byConnection = new ConcurrentHashMap<>();

	private final int maxPerConnection;

	/** The threads that help the caller with a large fan-out: one per other core. */
	private final List<ExecutorService> helpers = new ArrayList<>();

	public Subscriptions(int maxPerConnection) {
		this.maxPerConnection = maxPerConnection;
		for (int i = 1; i < Runtime.getRuntime().availableProcessors(); i++) {
			this.helpers.add(Executors.newSingleThreadExecutor((task) -> {
				Thread thread = new Thread(task, "wsrpc-fanout");
				thread.setDaemon(true);
				return thread;
			}));
		}
	}

	/**
	 * Subscribes a connection to an exact topic or a wildcard.
	 * @param sink the connection
	 * @param pattern a topic, or a prefix ending in {@code .*}
	 * @param epoch the epoch of the topic's history that {@code after} belongs to
	 * @param after the offset of the last event the connection has; it gets the events
	 * after it (both ignored for a wildcard)
	 * @return {@code true} if the subscription is new; {@code false} if it existed or the
	 * connection closed
	 * @throws RpcException {@code too_many_subscriptions} when the connection has its
	 * most
	 */
	public boolean subscribe(EventSink sink, String pattern, String epoch, long after) {
		while (true) {
			Patterns mine = this.byConnection.computeIfAbsent(sink.id(), (id) -> new Patterns());
			synchronized (mine) {
				if (mine.dropped) {
					// dropped since it was looked up; look again
					continue;
				}
				if (!sink.isOpen()) {
					// closed, and its dropAll may have missed this entry: drop it whole
					this.byConnection.remove(sink.id(), mine);
					drop(sink, mine);
					return false;
				}
				if (mine.patterns.contains(pattern)) {
					return false;
				}
				if (mine.patterns.size() >= this.maxPerConnection) {
					throw new RpcException("too_many_subscriptions", "This connection already has "
							+ this.maxPerConnection + " subscriptions; unsubscribe from one first.");
				}
				mine.patterns.add(pattern);
				if (TopicName.isWildcard(pattern)) {
					this.prefixes.computeIfAbsent(prefix(pattern), (key) -> ConcurrentHashMap.newKeySet()).add(sink);
				}
				else {
					this.exact.computeIfAbsent(pattern, (key) -> new ConcurrentHashMap<>())
						.put(sink, new Position(epoch, after));
				}
				return true;
			}
		}
	}

	/**
	 * Unsubscribes a connection.
	 * @param sink the connection
	 * @param pattern what it subscribed to
	 * @return {@code true} if it was subscribed
	 */
	public boolean unsubscribe(EventSink sink, String pattern) {
		Patterns mine = this.byConnection.get(sink.id());
		if (mine == null) {
			return false;
		}
		synchronized (mine) {
			if (mine.dropped || !mine.patterns.remove(pattern)) {
				return false;
			}
			remove(sink, pattern);
			return true;
		}
	}

	/**
	 * Drops every subscription of a connection that closed.
	 * @param sink the connection
	 */
	public void dropAll(EventSink sink) {
		Patterns mine = this.byConnection.remove(sink.id());
		if (mine == null) {
			return;
		}
		synchronized (mine) {
			drop(sink, mine);
		}
	}

	/** Removes every pattern of a connection from the indexes; holds its monitor. */
	private void drop(EventSink sink, Patterns mine) {
		mine.dropped = true;
		mine.patterns.forEach((pattern) -> remove(sink, pattern));
		mine.patterns.clear();
	}

	/**
	 * Whether a connection is subscribed to an exact topic.
	 * @param sink the connection
	 * @param topic the topic
	 * @return whether it is
	 */
	public boolean isSubscribed(EventSink sink, String topic) {
		Map<EventSink, Position> subscribers = this.exact.get(topic);
		return subscribers != null && subscribers.containsKey(sink);
	}

	/**
	 * Sends an event to every local subscriber of its topic, once each, skipping exact
	 * subscriptions that already have it. The broker calls this for one topic at a time,
	 * in offset order.
	 * @param event the event
	 * @return how many connections it went to
	 */
	public int deliver(Event event) {
		String topic = event.topic();
		Set<EventSink> reached = new HashSet<>();
		Map<EventSink, Position> subscribers = this.exact.get(topic);
		if (subscribers != null) {
			subscribers.forEach((sink, position) -> {
				if (position.advance(event)) {
					reached.add(sink);
				}
			});
		}
		for (int dot = topic.indexOf('.'); dot >= 0; dot = topic.indexOf('.', dot + 1)) {
			Set<EventSink> below = this.prefixes.get(topic.substring(0, dot + 1));
			if (below != null) {
				reached.addAll(below);
			}
		}
		List<EventSink> sinks = new ArrayList<>(reached);
		Map<EventEncoder, EventFrame> frames = new IdentityHashMap<>(4);
		for (EventSink sink : sinks) {
			frames.computeIfAbsent(sink.encoder(), (encoder) -> EventFrame.of(encoder.encode(event)));
		}
		int parts = (sinks.size() >= PARALLEL_FROM) ? this.helpers.size() + 1 : 1;
		int size = sinks.size() / parts;
		List<CompletableFuture<Void>> helped = new ArrayList<>(parts - 1);
		for (int part = 1; part < parts; part++) {
			List<EventSink> share = sinks.subList(part * size, (part == parts - 1) ? sinks.size() : (part + 1) * size);
			try {
				helped.add(CompletableFuture.runAsync(() -> send(share, frames), this.helpers.get(part - 1)));
			}
			catch (RejectedExecutionException ex) {
				// shutting down: no help
				send(share, frames);
			}
		}
		send(sinks.subList(0, size), frames);
		// the next event of the topic goes out only after this one reached every
		// connection, so that each gets them in order
		helped.forEach(CompletableFuture::join);
		return sinks.size();
	}

	private static void send(List<EventSink> sinks, Map<EventEncoder, EventFrame> frames) {
		for (EventSink sink : sinks) {
			sink.send(frames.get(sink.encoder()));
		}
	}

	@Override
	public void close() {
		this.helpers.forEach(ExecutorService::shutdownNow);
	}

	/**
	 * Sends events of an exact topic to one subscriber only, such as missed events
	 * replayed from history, and moves its position past them.
	 * @param sink the subscriber
	 * @param events the events, in offset order
	 */
	public void replay(EventSink sink, Iterable<Event> events) {
		Map<EventSink, Position> subscribers = null;
		for (Event event : events) {
			if (subscribers == null) {
				subscribers = this.exact.get(event.topic());
			}
			Position position = (subscribers != null) ? subscribers.get(sink) : null;
			if (position != null && position.advance(event)) {
				sink.send(sink.encoder().encode(event));
			}
		}
	}

	/**
	 * How many connections are subscribed to an exact topic, or to a wildcard above it.
	 * @param topic the topic
	 * @return the count, each connection once
	 */
	public int subscribers(String topic) {
		Map<EventSink, Position> subscribers = this.exact.get(topic);
		boolean anyPrefix = false;
		for (int dot = topic.indexOf('.'); dot >= 0 && !anyPrefix; dot = topic.indexOf('.', dot + 1)) {
			anyPrefix = this.prefixes.containsKey(topic.substring(0, dot + 1));
		}
		if (!anyPrefix) {
			return (subscribers != null) ? subscribers.size() : 0;
		}
		Set<EventSink> all = new HashSet<>((subscribers != null) ? subscribers.keySet() : Set.of());
		for (int dot = topic.indexOf('.'); dot >= 0; dot = topic.indexOf('.', dot + 1)) {
			Set<EventSink> below = this.prefixes.get(topic.substring(0, dot + 1));
			if (below != null) {
				all.addAll(below);
			}
		}
		return all.size();
	}

	/**
	 * Whether a connection holds any subscription.
	 * @param connectionId the connection's id
	 * @return whether it does
	 */
	public boolean hasAny(String connectionId) {
		return count(connectionId) > 0;
	}

	int count(String connectionId) {
		Patterns mine = this.byConnection.get(connectionId);
		if (mine == null) {
			return 0;
		}
		synchronized (mine) {
			return mine.patterns.size();
		}
	}

	/**
	 * How many subscriptions, exact and wildcard, the indexes hold; for tests that check
	 * that nothing is left behind.
	 * @return the count
	 */
	int indexed() {
		int count = 0;
		for (Map<EventSink, Position> subscribers : this.exact.values()) {
			count += subscribers.size();
		}
		for (Set<EventSink> subscribers : this.prefixes.values()) {
			count += subscribers.size();
		}
		return count;
	}

	private void remove(EventSink sink, String pattern) {
		if (TopicName.isWildcard(pattern)) {
			this.prefixes.computeIfPresent(prefix(pattern), (key, sinks) -> {
				sinks.remove(sink);
				return sinks.isEmpty() ? null : sinks;
			});
		}
		else {
			this.exact.computeIfPresent(pattern, (key, sinks) -> {
				sinks.remove(sink);
				return sinks.isEmpty() ? null : sinks;
			});
		}
	}

	private static String prefix(String pattern) {
		return pattern.substring(0, pattern.length() - 1);
	}

	/**
	 * The patterns of one connection; its monitor makes its changes atomic.
	 */
	private static final class Patterns {

		private final Set<String> patterns = new HashSet<>();

		private boolean dropped;

	}

	/**
	 * The epoch and offset of the last event an exact subscription was sent. Events
	 * without an offset always pass, and so does the first event of a new epoch: the
	 * topic's history was lost and its offsets start again.
	 */
	private static final class Position {

		private String epoch;

		private long last;

		Position(String epoch, long last) {
			this.epoch = epoch;
			this.last = last;
		}

		/** Moves past an event, if it is after the last one sent. */
		synchronized boolean advance(Event event) {
			if (event.offset() == 0) {
				return true;
			}
			if (!event.epoch().equals(this.epoch)) {
				this.epoch = event.epoch();
			}
			else if (event.offset() <= this.last) {
				return false;
			}
			this.last = event.offset();
			return true;
		}

	}

}
