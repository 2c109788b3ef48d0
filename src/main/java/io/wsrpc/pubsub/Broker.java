package io.wsrpc.pubsub;

import org.jspecify.annotations.Nullable;

/**
 * Carries published events to subscribers: on this instance only ({@code memory}) or on
 * every instance ({@code redis}). The broker gives each event of a topic the topic's next
 * offset, keeps the topic's recent events as its history, and hands the events of a topic
 * to {@link Subscriptions} one at a time, in offset order, so that every subscriber on
 * every instance sees them in that order.
 */
public interface Broker {

	/**
	 * Publishes an event.
	 * @param topic a valid topic name
	 * @param dataJson the data, as JSON
	 * @return how many connections of this instance are subscribed to the topic
	 */
	int publish(String topic, String dataJson);

	/**
	 * Subscribes a connection to an exact topic, in step with the topic's events: the
	 * connection gets every event after the offset the reply names. With {@code since},
	 * the events after it are replayed from history first, if history still holds every
	 * one of them under that epoch; otherwise nothing is replayed.
	 * @param sink the connection
	 * @param topic a valid topic name, no wildcard
	 * @param since where the client left the topic, or {@code null}
	 * @return the reply
	 */
	Subscribed subscribe(EventSink sink, String topic, @Nullable Since since);

}
