package io.wsrpc.pubsub;

import io.wsrpc.protocol.RpcJson;

/**
 * Publishes events from anywhere in the application, such as an {@code @RpcMethod} or a
 * scheduled job: {@code events.publish("prices.eur", price)}. Delivery is at most once,
 * to the connections subscribed at that moment, in the order this instance publishes to a
 * topic; with the Redis broker, to the subscribers of every instance. Thread-safe.
 */
public final class EventPublisher {

	private final Broker broker;

	private final RpcJson json;

	public EventPublisher(Broker broker, RpcJson json) {
		this.broker = broker;
		this.json = json;
	}

	/**
	 * Publishes an event.
	 * @param topic the topic, such as {@code chat.lobby}
	 * @param data any value Jackson can write, or {@code null}
	 * @return how many connections of this instance it went to
	 */
	public int publish(String topic, @org.jspecify.annotations.Nullable Object data) {
		TopicName.checkTopic(topic);
		return this.broker.publish(topic, (data != null) ? this.json.write(data) : "null");
	}

}
