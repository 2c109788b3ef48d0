package io.wsrpc.pubsub;

import java.util.List;

import io.wsrpc.WsrpcProperties;
import io.wsrpc.api.CallContext;
import io.wsrpc.api.RpcMethod;
import io.wsrpc.dispatch.Access;
import io.wsrpc.api.RpcException;
import io.wsrpc.protocol.FieldError;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The topic methods on both endpoints: {@code subscribe}, {@code unsubscribe} and
 * {@code publish}. Who may call the last two, or the first, can be limited to roles.
 */
public class TopicMethods {

	private final Subscriptions subscriptions;

	private final Broker broker;

	private final EventSinks sinks;

	private final EventPublisher publisher;

	private final TopicRules rules;

	public TopicMethods(Subscriptions subscriptions, Broker broker, EventSinks sinks, EventPublisher publisher,
			TopicRules rules) {
		this.subscriptions = subscriptions;
		this.broker = broker;
		this.sinks = sinks;
		this.publisher = publisher;
		this.rules = rules;
	}

	/**
	 * Subscribes the calling connection to a topic, or to every topic below a prefix with
	 * {@code prefix.*}.
	 * @param context the caller
	 * @param topic the topic or pattern
	 * @param since where the client left an exact topic, to have the events after it
	 * replayed from history
	 * @return whether the subscription is new and, for an exact topic, its offset and
	 * epoch
	 */
	@RpcMethod(description = "Subscribes the calling connection to a topic, or to every topic below a prefix "
			+ "with prefix.*; since replays the events of an exact topic after the given offset from its history. "
			+ "Returns whether the subscription is new and, for an exact topic, its offset and epoch.",
			errors = { "unauthorized", "forbidden" })
	public Subscribed subscribe(CallContext context, String topic, @Nullable @Valid Since since) {
		TopicName.checkSubscription(topic);
		Access.checkTopic(context, this.rules.subscribeRoles(topic), "subscribe to '" + topic + "'");
		EventSink sink = this.sinks.find(context.connectionId());
		if (!TopicName.isWildcard(topic)) {
			return (sink != null) ? this.broker.subscribe(sink, topic, since) : new Subscribed(false, null, null, null);
		}
		if (since != null) {
			throw new RpcException("invalid_params", "Invalid params: 'since' cannot be used with a wildcard.",
					List.of(new FieldError("since", "must be absent for a wildcard subscription")));
		}
		// a wildcard also reaches the topics of every rule below it
		String prefix = topic.substring(0, topic.length() - 1);
		for (WsrpcProperties.TopicRule rule : this.rules.all()) {
			if (rule.pattern().startsWith(prefix)) {
				Access.checkTopic(context, rule.subscribeRoles(), "subscribe to '" + rule.pattern() + "'");
			}
		}
		return Subscribed.wildcard(sink != null && this.subscriptions.subscribe(sink, topic, "", 0));
	}

	/**
	 * Ends a subscription of the calling connection.
	 * @param context the caller
	 * @param topic the topic or pattern it subscribed to
	 * @return {@code true} if it was subscribed
	 */
	@RpcMethod(description = "Ends a subscription of the calling connection; " + "returns whether it was subscribed.")
	public boolean unsubscribe(CallContext context, String topic) {
		EventSink sink = this.sinks.find(context.connectionId());
		return sink != null && this.subscriptions.unsubscribe(sink, topic);
	}

	/**
	 * Publishes an event to a topic.
	 * @param context the caller
	 * @param topic the topic (no wildcard)
	 * @param data any JSON value
	 * @return how many connections of this instance are subscribed to the topic
	 */
	@RpcMethod(
			description = "Publishes data, any JSON value, to a topic (no wildcard); "
					+ "returns how many connections of this instance are subscribed to it.",
			errors = { "unauthorized", "forbidden" })
	public int publish(CallContext context, String topic, @Nullable JsonNode data) {
		TopicName.checkTopic(topic);
		Access.checkTopic(context, this.rules.publishRoles(topic), "publish to '" + topic + "'");
		return this.publisher.publish(topic, data);
	}

}
