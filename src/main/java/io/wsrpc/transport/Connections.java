package io.wsrpc.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.WsrpcProperties;
import io.wsrpc.protocol.Dialect;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * The open connections of both endpoints, counted in the {@code rpc.server.connections}
 * gauge. Thread-safe.
 */
final class Connections {

	private final Map<String, Connection> open = new ConcurrentHashMap<>();

	private final WsrpcProperties properties;

	Connections(WsrpcProperties properties, MeterRegistry meterRegistry) {
		this.properties = properties;
		Gauge.builder("rpc.server.connections", this.open, Map::size)
			.description("Open WebSocket connections on both endpoints")
			.register(meterRegistry);
	}

	Connection add(WebSocketSession session, Dialect dialect) {
		Connection connection = new Connection(session, dialect, this.properties.maxInFlight(),
				(int) this.properties.sendTimeLimit().toMillis(), (int) this.properties.sendBufferSize().toBytes());
		this.open.put(session.getId(), connection);
		return connection;
	}

	@Nullable Connection get(WebSocketSession session) {
		return this.open.get(session.getId());
	}

	@Nullable Connection remove(WebSocketSession session) {
		return this.open.remove(session.getId());
	}

	int count() {
		return this.open.size();
	}

	void closeAll(CloseStatus status) {
		this.open.values().forEach((connection) -> connection.close(status));
	}

}
