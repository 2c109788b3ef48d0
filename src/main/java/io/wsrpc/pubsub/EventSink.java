package io.wsrpc.pubsub;

/**
 * Where events for one connection go: the connection writes them as event frames of its
 * protocol through its bounded send path, so a slow subscriber slows nobody else.
 */
public interface EventSink {

	/**
	 * The connection's id.
	 * @return the id
	 */
	String id();

	/**
	 * Sends an event; never blocks for long and never throws.
	 * @param topic the topic it was published to
	 * @param dataJson the event's data, already written as JSON
	 */
	void deliver(String topic, String dataJson);

}
