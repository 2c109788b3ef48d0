package io.wsrpc.pubsub;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.wsrpc.api.RpcException;

/**
 * The subscriptions of this instance's connections: exact topics and wildcard prefixes,
 * each mapped to its subscribers. Fan-out looks up the topic and each of its
 * dot-prefixes, so it costs a few map lookups plus one send per subscriber. Thread-safe.
 */
public final class Subscriptions {

	private final Map<String, Set<EventSink>> exact = new ConcurrentHashMap<>();

	private final Map<String, Set<EventSink>> prefixes = new ConcurrentHashMap<>();

	private final Map<String, Set<String>> byConnection = new ConcurrentHashMap<>();

	private final int maxPerConnection;

	public Subscriptions(int maxPerConnection) {
		this.maxPerConnection = maxPerConnection;
	}

	/**
	 * Subscribes a connection.
	 * @param sink the connection
	 * @param pattern a topic, or a prefix ending in {@code .*}
	 * @return {@code true} if the subscription is new
	 */
	boolean subscribe(EventSink sink, String pattern) {
		Set<String> mine = this.byConnection.computeIfAbsent(sink.id(), (id) -> ConcurrentHashMap.newKeySet());
		synchronized (mine) {
			if (mine.contains(pattern)) {
				return false;
			}
			if (mine.size() >= this.maxPerConnection) {
				throw new RpcException("too_many_subscriptions", "This connection already has " + this.maxPerConnection
						+ " subscriptions; unsubscribe from one first.");
			}
			mine.add(pattern);
		}
		target(pattern).computeIfAbsent(key(pattern), (k) -> ConcurrentHashMap.newKeySet()).add(sink);
		return true;
	}

	/**
	 * Unsubscribes a connection.
	 * @param sink the connection
	 * @param pattern what it subscribed to
	 * @return {@code true} if it was subscribed
	 */
	boolean unsubscribe(EventSink sink, String pattern) {
		Set<String> mine = this.byConnection.get(sink.id());
		if (mine == null || !mine.remove(pattern)) {
			return false;
		}
		remove(sink, pattern);
		return true;
	}

	/**
	 * Drops every subscription of a connection that closed.
	 * @param sink the connection
	 */
	public void dropAll(EventSink sink) {
		Set<String> mine = this.byConnection.remove(sink.id());
		if (mine != null) {
			mine.forEach((pattern) -> remove(sink, pattern));
		}
	}

	/**
	 * Delivers an event to every local subscriber of its topic, once each.
	 * @param topic the topic
	 * @param dataJson the data, as JSON
	 * @return how many connections it went to
	 */
	public int deliver(String topic, String dataJson) {
		Set<EventSink> reached = new java.util.HashSet<>();
		Set<EventSink> subscribers = this.exact.get(topic);
		if (subscribers != null) {
			reached.addAll(subscribers);
		}
		for (int dot = topic.indexOf('.'); dot >= 0; dot = topic.indexOf('.', dot + 1)) {
			Set<EventSink> below = this.prefixes.get(topic.substring(0, dot + 1));
			if (below != null) {
				reached.addAll(below);
			}
		}
		reached.forEach((sink) -> sink.deliver(topic, dataJson));
		return reached.size();
	}

	int count(String connectionId) {
		Set<String> mine = this.byConnection.get(connectionId);
		return (mine != null) ? mine.size() : 0;
	}

	private void remove(EventSink sink, String pattern) {
		target(pattern).computeIfPresent(key(pattern), (k, sinks) -> {
			sinks.remove(sink);
			return sinks.isEmpty() ? null : sinks;
		});
	}

	private Map<String, Set<EventSink>> target(String pattern) {
		return TopicName.isWildcard(pattern) ? this.prefixes : this.exact;
	}

	private static String key(String pattern) {
		return TopicName.isWildcard(pattern) ? pattern.substring(0, pattern.length() - 1) : pattern;
	}

}
