package io.wsrpc.client;

import java.net.URI;
import java.time.Duration;

/**
 * Hears about the connection of an {@link RpcClient}. Called on the client's threads;
 * keep the methods short.
 */
public interface ConnectionListener {

	/**
	 * The connection is open.
	 * @param uri the server
	 * @param reconnect {@code false} for the first connection, {@code true} after a drop
	 */
	default void onConnected(URI uri, boolean reconnect) {
	}

	/**
	 * The connection dropped (not by {@link RpcClient#close()}); calls in flight have
	 * failed with {@link RpcConnectionException}.
	 * @param statusCode the WebSocket close code, or 1006 when there was no close frame
	 * @param reason the close reason or the error
	 */
	default void onDisconnected(int statusCode, String reason) {
	}

	/**
	 * An attempt to reconnect failed.
	 * @param attempt how many attempts have failed so far
	 * @param cause why this one failed
	 * @param nextDelay the wait before the next attempt, or {@code null} if the client
	 * gives up
	 */
	default void onReconnectFailed(int attempt, Throwable cause,
			@org.jspecify.annotations.Nullable Duration nextDelay) {
	}

	/**
	 * After a reconnect, the server could not replay every event of a topic that was
	 * published while the client was away (its history no longer holds them all, or it
	 * began again under a new epoch): some are lost to this client. Called before the
	 * topic's next event reaches the application, so that it can fetch what it missed
	 * from its own source. Events of the topic flow again either way.
	 * @param topic the exact topic
	 */
	default void onRecoveryFailed(String topic) {
	}

}
