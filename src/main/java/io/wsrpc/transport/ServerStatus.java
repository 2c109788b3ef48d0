package io.wsrpc.transport;

import io.wsrpc.dispatch.Dispatcher;

/**
 * The live state of the RPC server, for health and operations endpoints. Thread-safe.
 */
public final class ServerStatus {

	private final ShutdownDrain drain;

	private final Connections connections;

	private final Dispatcher dispatcher;

	ServerStatus(ShutdownDrain drain, Connections connections, Dispatcher dispatcher) {
		this.drain = drain;
		this.connections = connections;
		this.dispatcher = dispatcher;
	}

	/**
	 * Whether the server is shutting down and refusing new connections and calls.
	 * @return {@code true} while draining
	 */
	public boolean isDraining() {
		return this.drain.isDraining();
	}

	/**
	 * The open connections on both endpoints.
	 * @return the count
	 */
	public int openConnections() {
		return this.connections.count();
	}

	/**
	 * The calls running now.
	 * @return the count
	 */
	public int callsInFlight() {
		return this.dispatcher.inFlight();
	}

}
