package io.wsrpc.pubsub;

import org.jspecify.annotations.Nullable;

/**
 * Finds the event sink of an open connection; the transport provides it.
 */
public interface EventSinks {

	/**
	 * Finds a connection.
	 * @param connectionId the id from the call's context
	 * @return its sink, or {@code null} if it is closed
	 */
	@Nullable EventSink find(String connectionId);

}
