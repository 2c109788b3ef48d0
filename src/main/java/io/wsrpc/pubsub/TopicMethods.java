package io.wsrpc.pubsub;

import java.util.Optional;

import io.wsrpc.WsrpcProperties;

import io.wsrpc.api.CallContext;
import io.wsrpc.api.RpcMethod;
import io.wsrpc.dispatch.Access;
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

	private final WsrpcProperties.PubSub access;

	public TopicMethods(Subscriptions subscriptions, EventSinks sinks, EventPublisher publisher,
			WsrpcProperties.PubSub access) {
		this.subscriptions = subscriptions;
		this.sinks = sinks;
		this.publisher = publisher;
		this.access = access;
		for (int i = 0; i < access.rules().size(); i++) {
			String pattern = access.rules().get(i).pattern();
			if (!TopicName.isValidSubscription(pattern)) {
				throw new IllegalArgumentException("wsrpc.pubsub.rules[" + i + "].pattern '" + pattern
						+ "' is neither a topic nor a prefix ending in .*: " + TopicName.SYNTAX);
			}
		}
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
		TopicName.checkSubscription(topic);
		Access.checkTopic(context,
				rule(topic).map(WsrpcProperties.TopicRule::subscribeRoles).orElse(this.access.subscribeRoles()),
				"subscribe to '" + topic + "'");
		if (TopicName.isWildcard(topic)) {
			// a wildcard also reaches the topics of every rule below it
			String prefix = topic.substring(0, topic.length() - 1);
			for (WsrpcProperties.TopicRule rule : this.access.rules()) {
				if (rule.pattern().startsWith(prefix)) {
					Access.checkTopic(context, rule.subscribeRoles(), "subscribe to '" + rule.pattern() + "'");
				}
			}
		}
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
		TopicName.checkTopic(topic);
		Access.checkTopic(context,
				rule(topic).map(WsrpcProperties.TopicRule::publishRoles).orElse(this.access.publishRoles()),
				"publish to '" + topic + "'");
		return this.publisher.publish(topic, data);
	}

	private Optional<WsrpcProperties.TopicRule> rule(String topic) {
		return this.access.rules().stream().filter((rule) -> covers(rule.pattern(), topic)).findFirst();
	}

	private static boolean covers(String pattern, String topic) {
		return TopicName.isWildcard(pattern) ? topic.startsWith(pattern.substring(0, pattern.length() - 1))
				: pattern.equals(topic);
	}

}
