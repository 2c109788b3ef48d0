package io.wsrpc.pubsub;

/**
 * Writes an event as the frame of one protocol. Every connection of a protocol shares one
 * encoder, so an event is written once per protocol, however many subscribers it has.
 */
@FunctionalInterface
public interface EventEncoder {

	/**
	 * Writes an event frame.
	 * @param event the event
	 * @return the frame's text
	 */
	String encode(Event event);

}
