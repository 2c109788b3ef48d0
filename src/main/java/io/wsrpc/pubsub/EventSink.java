package io.wsrpc.pubsub;

/**
 * Where events for one connection go: the connection sends the frames through its bounded
 * send path, so a slow subscriber slows nobody else.
 */
public interface EventSink {

	/**
	 * The connection's id.
	 * @return the id
	 */
	String id();

	/**
	 * Whether the connection is still open; once it is not, it takes no new
	 * subscriptions.
	 * @return whether it is open
	 */
	boolean isOpen();

	/**
	 * The encoder of the connection's protocol, the same instance for every connection of
	 * that protocol.
	 * @return the encoder
	 */
	EventEncoder encoder();

	/**
	 * Sends an event frame its encoder wrote; never blocks for long and never throws.
	 * @param frame the frame
	 */
	void send(String frame);

	/**
	 * Sends an event frame whose bytes are shared with other subscribers; never blocks
	 * for long and never throws.
	 * @param frame the frame
	 */
	default void send(EventFrame frame) {
		send(frame.text());
	}

}
