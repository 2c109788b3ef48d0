package io.wsrpc.pubsub;

import java.util.Objects;

/**
 * One published event.
 *
 * @param topic the topic it was published to
 * @param dataJson its data, already written as JSON
 * @param offset its place in the topic: 1 for the topic's first event, one more for each
 * event after it; 0 for an event that has none, published while the broker that assigns
 * offsets could not be reached
 * @param epoch the epoch of the topic's history that the offset belongs to; empty for an
 * event without an offset
 */
public record Event(String topic, String dataJson, long offset, String epoch) {

	public Event {
		Objects.requireNonNull(topic, "topic");
		Objects.requireNonNull(dataJson, "dataJson");
		Objects.requireNonNull(epoch, "epoch");
	}

	/**
	 * An event without an offset.
	 * @param topic the topic
	 * @param dataJson the data, as JSON
	 * @return the event
	 */
	public static Event unordered(String topic, String dataJson) {
		return new Event(topic, dataJson, 0, "");
	}

}
