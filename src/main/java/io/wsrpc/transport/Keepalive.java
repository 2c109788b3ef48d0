package io.wsrpc.transport;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.wsrpc.WsrpcProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.socket.CloseStatus;

/**
 * Keeps connections honest: pings each one every ping interval, closes with 1001 the ones
 * that do not answer a ping within the pong timeout (dead peers, half-open TCP), and the
 * ones that send no message for the idle timeout while holding no subscription (a
 * subscriber waits for events, and its pongs show it is alive), and the ones whose
 * replies have made no progress within the send time limit (slow readers). A peer that
 * has not answered the close a second later is disconnected. Pings and pongs do not count
 * as messages. Runs on the connections' timer thread.
 */
final class Keepalive implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Keepalive.class);

	static final CloseStatus NO_PONG = CloseStatus.GOING_AWAY.withReason("No pong within the pong timeout");

	static final CloseStatus IDLE = CloseStatus.GOING_AWAY.withReason("Idle for longer than the idle timeout");

	private final Connections connections;

	private final long pingIntervalNanos;

	private final long pongTimeoutNanos;

	private final long idleTimeoutNanos;

	private final ScheduledFuture<?> sweeping;

	Keepalive(Connections connections, WsrpcProperties properties) {
		this.connections = connections;
		this.pingIntervalNanos = properties.pingInterval().toNanos();
		this.pongTimeoutNanos = properties.pongTimeout().toNanos();
		this.idleTimeoutNanos = properties.idleTimeout().toNanos();
		long tick = Stream
			.of(properties.pingInterval(), properties.pongTimeout(), properties.idleTimeout(),
					properties.sendTimeLimit())
			.filter((duration) -> !duration.isZero())
			.mapToLong((duration) -> duration.toMillis() / 4)
			.min()
			.orElse(1000);
		tick = Math.max(20, Math.min(1000, tick));
		this.sweeping = connections.timers().scheduleWithFixedDelay(this::sweep, tick, tick, TimeUnit.MILLISECONDS);
	}

	private void sweep() {
		long now = System.nanoTime();
		for (Connection connection : this.connections.all()) {
			try {
				if (connection.stalled(now)) {
					continue;
				}
				if (this.idleTimeoutNanos > 0 && now - connection.lastMessageAt() > this.idleTimeoutNanos
						&& !this.connections.listening(connection)) {
					logger.info("Connection {} from {} was idle for {}", connection.id(), connection.remoteAddress(),
							Duration.ofNanos(this.idleTimeoutNanos));
					connection.closeRaw(IDLE);
				}
				else if (connection.unansweredPingAt() != 0
						&& now - connection.unansweredPingAt() > this.pongTimeoutNanos) {
					logger.info("Connection {} from {} did not answer a ping", connection.id(),
							connection.remoteAddress());
					connection.closeRaw(NO_PONG);
				}
				else if (this.pingIntervalNanos > 0 && now - connection.lastPingAt() >= this.pingIntervalNanos) {
					connection.ping(now);
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Keepalive of connection {} failed: {}", connection.id(), ex.toString());
			}
		}
	}

	@Override
	public void close() {
		this.sweeping.cancel(false);
	}

}
