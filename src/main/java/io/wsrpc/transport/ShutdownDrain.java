package io.wsrpc.transport;

import java.time.Duration;

import io.wsrpc.dispatch.Dispatcher;
import io.wsrpc.protocol.Dialect;
import io.wsrpc.protocol.jsonrpc.JsonRpcCodec;
import io.wsrpc.protocol.ws.NativeCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.socket.CloseStatus;

/**
 * Shuts the RPC layer down gently, before the web server stops: refuses new connections
 * and new calls, tells every connection with a {@code $server.draining} notice, waits up
 * to the shutdown timeout for the calls in flight to finish and send their replies, then
 * closes every connection with 1001.
 */
final class ShutdownDrain implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ShutdownDrain.class);

	private static final CloseStatus GOING_AWAY = CloseStatus.GOING_AWAY.withReason("Server is shutting down");

	private final Dispatcher dispatcher;

	private final Connections connections;

	private final Duration timeout;

	private volatile boolean running;

	private volatile boolean draining;

	ShutdownDrain(Dispatcher dispatcher, Connections connections, Duration timeout) {
		this.dispatcher = dispatcher;
		this.connections = connections;
		this.timeout = timeout;
	}

	boolean isDraining() {
		return this.draining;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.draining = true;
		this.dispatcher.drain();
		for (Connection connection : this.connections.all()) {
			connection.send((connection.dialect() == Dialect.JSON_RPC) ? JsonRpcCodec.DRAINING : NativeCodec.DRAINING);
		}
		logger.info("Draining {} calls in flight on {} connections (up to {})", this.dispatcher.inFlight(),
				this.connections.count(), this.timeout);
		try {
			if (!this.dispatcher.awaitIdle(this.timeout)) {
				logger.warn("{} calls were still running after {}; cancelling them", this.dispatcher.inFlight(),
						this.timeout);
				this.dispatcher.cancelAll();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.connections.closeAll(GOING_AWAY);
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Not stopped when a test framework pauses the context: draining is for shutdown
	 * only.
	 */
	@Override
	public boolean isPauseable() {
		return false;
	}

	/**
	 * Stops before the web server's graceful shutdown, so connections are still open
	 * while calls finish.
	 */
	@Override
	public int getPhase() {
		return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 512;
	}

}
