package io.wsrpc.transport;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.WsrpcProperties;
import io.wsrpc.protocol.Dialect;
import io.wsrpc.pubsub.EventSink;
import io.wsrpc.pubsub.EventSinks;
import io.wsrpc.pubsub.Subscriptions;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * The open connections of both endpoints, counted in the {@code rpc.server.connections}
 * gauge, with {@code rpc.server.connections.opened} and
 * {@code rpc.server.connections.closed} (tagged by close code) counters. The connection
 * caps count {@link Place places}: a handshake takes one before it is upgraded and the
 * connection gives it back when it closes, so handshakes that race one another cannot
 * exceed a cap. Thread-safe.
 */
final class Connections implements EventSinks, AutoCloseable {

	private final Map<String, Connection> open = new ConcurrentHashMap<>();

	/** The places taken on each remote address. */
	private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();

	/** The places taken: open connections and handshakes under way. */
	private final AtomicInteger places = new AtomicInteger();

	private final WsrpcProperties properties;

	private final MeterRegistry meterRegistry;

	private final Counter slowReaders;

	private final Map<String, Traffic> traffic = new ConcurrentHashMap<>();

	private final ScheduledThreadPoolExecutor timers;

	private final Subscriptions subscriptions;

	private final Map<String, Counter> refusedHandshakes;

	private final MemoryBudget memory;

	private final @Nullable ReplyFlusher flusher;

	Connections(WsrpcProperties properties, MeterRegistry meterRegistry, Subscriptions subscriptions) {
		this.subscriptions = subscriptions;
		this.properties = properties;
		this.meterRegistry = meterRegistry;
		this.slowReaders = Counter.builder("rpc.server.connections.slow")
			.description("Connections closed with 1008 because they did not read their replies")
			.register(meterRegistry);
		// registered now: once shutdown begins the registry is closed and would hand out
		// counters that count nothing, so a handshake refused while draining went
		// uncounted; unauthorized is counted by the security chain, and registered here
		// too
		// so that it exists from startup whether security is on or not
		this.refusedHandshakes = Stream.of("draining", "capacity", "per_address", "origin", "unauthorized")
			.collect(Collectors.toUnmodifiableMap(Function.identity(),
					(reason) -> meterRegistry.counter("rpc.server.handshakes.refused", "reason", reason)));
		this.memory = new MemoryBudget(properties.memoryBudgetBytes(), meterRegistry);
		this.flusher = properties.coalesceWindow().isZero() ? null : new ReplyFlusher();
		this.timers = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "wsrpc-connections");
			thread.setDaemon(true);
			return thread;
		});
		this.timers.setRemoveOnCancelPolicy(true);
		Gauge.builder("rpc.server.connections", this.open, Map::size)
			.description("Open WebSocket connections on both endpoints")
			.register(meterRegistry);
	}

	Connection add(WebSocketSession session, Dialect dialect) {
		Connection connection = new Connection(session, dialect, this.properties, this.slowReaders::increment,
				this.timers, traffic(dialect, "out"), this.memory, this.flusher);
		this.open.put(session.getId(), connection);
		this.meterRegistry.counter("rpc.server.connections.opened", "protocol", dialect.tag()).increment();
		return connection;
	}

	@Nullable Connection get(WebSocketSession session) {
		return this.open.get(session.getId());
	}

	@Nullable Connection remove(WebSocketSession session, CloseStatus status) {
		// first, so that a server with no connection open has every place free
		if (session.getAttributes().get(Place.ATTRIBUTE) instanceof Place place) {
			place.release();
		}
		Connection connection = this.open.remove(session.getId());
		if (connection != null) {
			connection.ended();
			this.subscriptions.dropAll(connection);
			this.meterRegistry
				.counter("rpc.server.connections.closed", "protocol", connection.dialect().tag(), "code",
						Integer.toString(status.getCode()))
				.increment();
		}
		return connection;
	}

	/**
	 * The message and byte counters of one protocol and direction.
	 * @param dialect the protocol
	 * @param direction {@code in} or {@code out}
	 * @return the counters
	 */
	Traffic traffic(Dialect dialect, String direction) {
		return this.traffic.computeIfAbsent(dialect.tag() + direction,
				(key) -> new Traffic(
						Counter.builder("rpc.server.messages")
							.description("Text messages received (in) and sent (out)")
							.tag("protocol", dialect.tag())
							.tag("direction", direction)
							.register(this.meterRegistry),
						Counter.builder("rpc.server.bytes")
							.description("UTF-8 bytes of text messages received (in) and sent (out)")
							.baseUnit("bytes")
							.tag("protocol", dialect.tag())
							.tag("direction", direction)
							.register(this.meterRegistry)));
	}

	/**
	 * Counts a handshake refused before any upgrade.
	 * @param reason why: draining, capacity, per_address or origin
	 */
	void refused(String reason) {
		Objects.requireNonNull(this.refusedHandshakes.get(reason), reason).increment();
	}

	@Override
	public @Nullable EventSink find(String connectionId) {
		return this.open.get(connectionId);
	}

	int count() {
		return this.open.size();
	}

	/**
	 * Whether a connection holds a subscription, and so waits for events rather than
	 * idles.
	 * @param connection the connection
	 * @return whether it does
	 */
	boolean listening(Connection connection) {
		return this.subscriptions.hasAny(connection.id());
	}

	/**
	 * A place for a connection from a remote address, not yet taken.
	 * @param host the remote IP address as text, or {@code null} if unknown
	 * @return the place
	 */
	Place place(@Nullable String host) {
		return new Place(host);
	}

	Collection<Connection> all() {
		return this.open.values();
	}

	/**
	 * The bytes held for clients, on every connection together.
	 * @return the budget
	 */
	MemoryBudget memory() {
		return this.memory;
	}

	ScheduledExecutorService timers() {
		return this.timers;
	}

	void closeAll(CloseStatus status) {
		this.open.values().forEach((connection) -> connection.close(status));
	}

	/**
	 * One connection's share of the caps, taken when its handshake is admitted and
	 * released once, when the handshake fails or the connection closes.
	 */
	final class Place {

		/** The session attribute that holds the place of a connection. */
		static final String ATTRIBUTE = Place.class.getName();

		private final @Nullable String host;

		private final AtomicBoolean held = new AtomicBoolean();

		private Place(@Nullable String host) {
			this.host = host;
		}

		/**
		 * Takes the place if both caps leave room for it, counting a refusal otherwise.
		 * @return {@code null} if taken, or why not: {@code capacity} or
		 * {@code per_address}
		 */
		@Nullable String take() {
			int max = Connections.this.properties.maxConnections();
			if (Connections.this.places.getAndUpdate((taken) -> (taken < max) ? taken + 1 : taken) >= max) {
				refused("capacity");
				return "capacity";
			}
			int maxPerAddress = Connections.this.properties.maxConnectionsPerAddress();
			if (this.host != null && !takeOn(this.host, maxPerAddress)) {
				Connections.this.places.decrementAndGet();
				refused("per_address");
				return "per_address";
			}
			this.held.set(true);
			return null;
		}

		/**
		 * Gives the place back, if it is held; does nothing the second time.
		 */
		void release() {
			if (this.held.compareAndSet(true, false)) {
				Connections.this.places.decrementAndGet();
				if (this.host != null) {
					Connections.this.perAddress.computeIfPresent(this.host,
							(host, taken) -> (taken > 1) ? taken - 1 : null);
				}
			}
		}

	}

	/** Takes a place on an address, atomically, if its cap (0 for none) leaves room. */
	private boolean takeOn(String host, int max) {
		boolean[] taken = new boolean[1];
		this.perAddress.compute(host, (key, count) -> {
			int now = (count != null) ? count : 0;
			if (max > 0 && now >= max) {
				return count;
			}
			taken[0] = true;
			return now + 1;
		});
		return taken[0];
	}

	/**
	 * Counters of messages and their bytes.
	 *
	 * @param messages counts messages
	 * @param bytes counts their UTF-8 bytes
	 */
	record Traffic(Counter messages, Counter bytes) {

		/**
		 * Counts one message.
		 * @param text the message
		 * @return its length in UTF-8 bytes
		 */
		long count(String text) {
			return count(utf8Length(text));
		}

		/**
		 * Counts one message.
		 * @param length its length in UTF-8 bytes
		 * @return the length
		 */
		long count(long length) {
			this.messages.increment();
			this.bytes.increment(length);
			return length;
		}

		private static long utf8Length(String text) {
			long bytes = text.length();
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				if (c >= 0x80) {
					bytes += (c < 0x800) ? 1 : (Character.isSurrogate(c) ? 1 : 2);
				}
			}
			return bytes;
		}

	}

	@Override
	public void close() {
		this.timers.shutdownNow();
		if (this.flusher != null) {
			this.flusher.close();
		}
	}

}
