package io.wsrpc.transport;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 * {@code rpc.server.connections.closed} (tagged by close code) counters. Thread-safe.
 */
final class Connections implements EventSinks, AutoCloseable {

	private final Map<String, Connection> open = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

	private final WsrpcProperties properties;

	private final MeterRegistry meterRegistry;

	private final Counter slowReaders;

	private final Map<String, Traffic> traffic = new ConcurrentHashMap<>();

	private final ScheduledThreadPoolExecutor timers;

	private final Subscriptions subscriptions;

	private final Map<String, Counter> refusedHandshakes;

	Connections(WsrpcProperties properties, MeterRegistry meterRegistry, Subscriptions subscriptions) {
		this.subscriptions = subscriptions;
		this.properties = properties;
		this.meterRegistry = meterRegistry;
		this.slowReaders = Counter.builder("rpc.server.connections.slow")
			.description("Connections closed with 1008 because they did not read their replies")
			.register(meterRegistry);
		// registered now: once shutdown begins the registry is closed and would hand out
		// counters that count nothing, so a handshake refused while draining went
		// uncounted
		this.refusedHandshakes = Stream.of("draining", "capacity", "per_address")
			.collect(Collectors.toUnmodifiableMap(Function.identity(),
					(reason) -> meterRegistry.counter("rpc.server.handshakes.refused", "reason", reason)));
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
				this.timers, traffic(dialect, "out"));
		this.open.put(session.getId(), connection);
		this.perAddress.computeIfAbsent(connection.remoteHost(), (host) -> new AtomicInteger()).incrementAndGet();
		this.meterRegistry.counter("rpc.server.connections.opened", "protocol", dialect.tag()).increment();
		return connection;
	}

	@Nullable Connection get(WebSocketSession session) {
		return this.open.get(session.getId());
	}

	@Nullable Connection remove(WebSocketSession session, CloseStatus status) {
		Connection connection = this.open.remove(session.getId());
		if (connection != null) {
			connection.ended();
			this.subscriptions.dropAll(connection);
			this.perAddress.computeIfPresent(connection.remoteHost(),
					(host, count) -> (count.decrementAndGet() > 0) ? count : null);
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
	 * @param reason why: draining, capacity or per_address
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
	 * Counts the open connections from one address.
	 * @param address an IP address as text
	 * @return the count
	 */
	int countFrom(String address) {
		AtomicInteger count = this.perAddress.get(address);
		return (count != null) ? count.get() : 0;
	}

	Collection<Connection> all() {
		return this.open.values();
	}

	ScheduledExecutorService timers() {
		return this.timers;
	}

	void closeAll(CloseStatus status) {
		this.open.values().forEach((connection) -> connection.close(status));
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
			long length = utf8Length(text);
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
	}

}
