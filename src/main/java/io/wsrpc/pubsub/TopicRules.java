package io.wsrpc.pubsub;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.wsrpc.WsrpcProperties;

/**
 * The settings of each topic: the first {@code wsrpc.pubsub.rules} entry whose pattern
 * covers it, else the {@code wsrpc.pubsub.*} defaults. Patterns are checked when the
 * rules are built, so a rule that could never match stops the server at startup.
 */
public final class TopicRules {

	private final WsrpcProperties.PubSub pubsub;

	public TopicRules(WsrpcProperties.PubSub pubsub) {
		this.pubsub = pubsub;
		for (int i = 0; i < pubsub.rules().size(); i++) {
			String pattern = pubsub.rules().get(i).pattern();
			if (!TopicName.isValidSubscription(pattern)) {
				throw new IllegalArgumentException("wsrpc.pubsub.rules[" + i + "].pattern '" + pattern
						+ "' is neither a topic nor a prefix ending in .*: " + TopicName.SYNTAX);
			}
		}
	}

	/**
	 * The first rule that covers a topic.
	 * @param topic the topic
	 * @return the rule, if any
	 */
	Optional<WsrpcProperties.TopicRule> rule(String topic) {
		return this.pubsub.rules().stream().filter((rule) -> covers(rule.pattern(), topic)).findFirst();
	}

	/**
	 * Every rule, in order.
	 * @return the rules
	 */
	List<WsrpcProperties.TopicRule> all() {
		return this.pubsub.rules();
	}

	/**
	 * Roles a caller needs to subscribe to a topic, any one.
	 * @param topic the topic
	 * @return the roles; empty for anyone
	 */
	List<String> subscribeRoles(String topic) {
		return rule(topic).map(WsrpcProperties.TopicRule::subscribeRoles).orElse(this.pubsub.subscribeRoles());
	}

	/**
	 * Roles a caller needs to publish to a topic, any one.
	 * @param topic the topic
	 * @return the roles; empty for anyone
	 */
	List<String> publishRoles(String topic) {
		return rule(topic).map(WsrpcProperties.TopicRule::publishRoles).orElse(this.pubsub.publishRoles());
	}

	/**
	 * How much of a topic's past is kept.
	 * @param topic the topic
	 * @return its history settings
	 */
	public History history(String topic) {
		Optional<WsrpcProperties.TopicRule> rule = rule(topic);
		Integer size = rule.map(WsrpcProperties.TopicRule::historySize).orElse(null);
		Duration ttl = rule.map(WsrpcProperties.TopicRule::historyTtl).orElse(null);
		return new History((size != null) ? size : this.pubsub.historySize(),
				(ttl != null) ? ttl : this.pubsub.historyTtl());
	}

	private static boolean covers(String pattern, String topic) {
		return TopicName.isWildcard(pattern) ? topic.startsWith(pattern.substring(0, pattern.length() - 1))
				: pattern.equals(topic);
	}

	/**
	 * How much of a topic's past is kept.
	 *
	 * @param size the most recent events kept (0: none)
	 * @param ttl how long each is kept (zero: none)
	 */
	public record History(int size, Duration ttl) {

		/**
		 * Whether any event is kept at all.
		 * @return whether history is on
		 */
		public boolean enabled() {
			return this.size > 0 && this.ttl.compareTo(Duration.ZERO) > 0;
		}

	}

}
