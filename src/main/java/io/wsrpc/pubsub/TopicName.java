package io.wsrpc.pubsub;

import java.util.regex.Pattern;

import io.wsrpc.api.RpcException;

/**
 * The rules for topic names: 1 to 128 characters of letters, digits, {@code _}, {@code -}
 * and {@code :}, in segments separated by dots. A subscription may end in {@code .*} to
 * match every topic that starts with what comes before it.
 */
final class TopicName {

	static final int MAX_LENGTH = 128;

	static final String WILDCARD_SUFFIX = ".*";

	/** The syntax, for a person. */
	static final String SYNTAX = "1 to 128 characters of letters, digits, _ - : in dot-separated segments, "
			+ "optionally ending in .* to subscribe to all below";

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_:\\-]+(\\.[A-Za-z0-9_:\\-]+)*");

	private TopicName() {
	}

	static String checkTopic(String topic) {
		if (topic.length() > MAX_LENGTH || !NAME.matcher(topic).matches()) {
			throw invalid(topic);
		}
		return topic;
	}

	static String checkSubscription(String pattern) {
		if (pattern.endsWith(WILDCARD_SUFFIX)) {
			checkTopic(pattern.substring(0, pattern.length() - WILDCARD_SUFFIX.length()));
			if (pattern.length() > MAX_LENGTH) {
				throw invalid(pattern);
			}
			return pattern;
		}
		return checkTopic(pattern);
	}

	static boolean isValidSubscription(String pattern) {
		try {
			checkSubscription(pattern);
			return true;
		}
		catch (RpcException ex) {
			return false;
		}
	}

	static boolean isWildcard(String pattern) {
		return pattern.endsWith(WILDCARD_SUFFIX);
	}

	private static RpcException invalid(String topic) {
		return new RpcException("invalid_params", "Invalid params: 'topic' is not a valid topic name.",
				java.util.List.of(java.util.Map.of("field", "topic", "message", "must be " + SYNTAX)));
	}

}
