package io.wsrpc.pubsub;

/**
 * Carries published events to subscribers: on this instance only ({@code memory}) or on
 * every instance ({@code redis}). Local subscribers always get the event directly, so
 * local delivery goes on when the broker between instances is down.
 */
public interface Broker {

	/**
	 * Publishes an event.
	 * @param topic a valid topic name
	 * @param dataJson the data, as JSON
	 * @return how many connections of this instance it went to
	 */
	int publish(String topic, String dataJson);

}
