package io.wsrpc.pubsub;

import java.util.List;

import io.wsrpc.api.CallContext;
import io.wsrpc.api.RpcException;
import io.wsrpc.api.RpcMethod;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The topic methods on both endpoints: {@code subscribe}, {@code unsubscribe} and
 * {@code publish}. Who may call the last two, or the first, can be limited to roles.
 */
public class TopicMethods {

	private final Subscriptions subscriptions;

	private final EventSinks sinks;

	private final EventPublisher publisher;

	private final List<String> subscribeRoles;

	private final List<String> publishRoles;

	public TopicMethods(Subscriptions subscriptions, EventSinks sinks, EventPublisher publisher,
			List<String> subscribeRoles, List<String> publishRoles) {
		this.subscriptions = subscriptions;
		this.sinks = sinks;
		this.publisher = publisher;
		this.subscribeRoles = List.copyOf(subscribeRoles);
		this.publishRoles = List.copyOf(publishRoles);
	}

	/**
	 * Subscribes the calling connection to a topic, or to every topic below a prefix with
	 * {@code prefix.*}.
	 * @param context the caller
	 * @param topic the topic or pattern
	 * @return {@code true} if the subscription is new, {@code false} if it existed
	 */
	@RpcMethod
	public boolean subscribe(CallContext context, String topic) {
		check(context, this.subscribeRoles, "subscribe");
		TopicName.checkSubscription(topic);
		EventSink sink = this.sinks.find(context.connectionId());
		return sink != null && this.subscriptions.subscribe(sink, topic);
	}

	/**
	 * Ends a subscription of the calling connection.
	 * @param context the caller
	 * @param topic the topic or pattern it subscribed to
	 * @return {@code true} if it was subscribed
	 */
	@RpcMethod
	public boolean unsubscribe(CallContext context, String topic) {
		EventSink sink = this.sinks.find(context.connectionId());
		return sink != null && this.subscriptions.unsubscribe(sink, topic);
	}

	/**
	 * Publishes an event to a topic.
	 * @param context the caller
	 * @param topic the topic (no wildcard)
	 * @param data any JSON value
	 * @return how many connections of this instance it went to
	 */
	@RpcMethod
	public int publish(CallContext context, String topic, @Nullable JsonNode data) {
		check(context, this.publishRoles, "publish");
		return this.publisher.publish(topic, data);
	}

	private static void check(CallContext context, List<String> roles, String action) {
		if (roles.isEmpty() || roles.stream().anyMatch(context::hasRole)) {
			return;
		}
		if (!context.isAuthenticated()) {
			throw new RpcException("unauthorized", "Only authenticated callers may " + action + ".");
		}
		throw new RpcException("forbidden", "Only callers with one of the roles " + roles + " may " + action + ".");
	}

}
