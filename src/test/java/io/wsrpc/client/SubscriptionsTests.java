package io.wsrpc.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionsTests {

	private final List<String> seen = new ArrayList<>();

	private final Subscriptions subscriptions = new Subscriptions((topic) -> this.seen.add("recovery failed " + topic));

	@Test
	void eventsReplayedBeforeTheReplyPassOnceInOrderAfterIt() {
		subscribeAndReachOffset(3);
		Subscriptions.Renewal renewal = this.subscriptions.renewAll().get(0);
		assertThat(renewal.params()).isEqualTo(Map.of("topic", "news", "since", Map.of("offset", 3L, "epoch", "e1")));

		deliver(4);
		deliver(5);
		assertThat(this.seen).as("held until the reply").containsExactly("news 1", "news 2", "news 3");
		this.subscriptions.replied(renewal, reply("""
				{"new": true, "offset": 5, "epoch": "e1", "recovered": true}"""));
		deliver(5);
		deliver(6);

		assertThat(this.seen).containsExactly("news 1", "news 2", "news 3", "news 4", "news 5", "news 6");
	}

	@Test
	void anEventAlreadyPassedOnIsDropped() {
		subscribeAndReachOffset(3);
		deliver(2);
		deliver(3);
		deliver(4);

		assertThat(this.seen).containsExactly("news 1", "news 2", "news 3", "news 4");
	}

	@Test
	void aFailedRecoveryIsToldBeforeTheNextEventOfTheTopic() {
		subscribeAndReachOffset(3);
		Subscriptions.Renewal renewal = this.subscriptions.renewAll().get(0);
		deliver(251);
		this.subscriptions.replied(renewal, reply("""
				{"new": true, "offset": 250, "epoch": "e1", "recovered": false}"""));
		deliver(252);

		assertThat(this.seen).containsExactly("news 1", "news 2", "news 3", "recovery failed news", "news 251",
				"news 252");
	}

	@Test
	void anEventOfAReplacedConnectionIsNotPassedOn() {
		subscribeAndReachOffset(1);
		this.subscriptions.deliver(event(2), () -> false);

		assertThat(this.seen).containsExactly("news 1");
	}

	private void subscribeAndReachOffset(long offset) {
		Subscriptions.Renewal first = this.subscriptions.add("news",
				(event) -> this.seen.add(event.topic() + " " + event.offset()));
		this.subscriptions.replied(first, reply("""
				{"new": true, "offset": 0, "epoch": "e1"}"""));
		for (long next = 1; next <= offset; next++) {
			deliver(next);
		}
	}

	private void deliver(long offset) {
		this.subscriptions.deliver(event(offset), () -> true);
	}

	private static Frames.Event event(long offset) {
		return new Frames.Event("news", StringNode.valueOf("x"), offset);
	}

	private static JsonNode reply(String json) {
		return JsonMapper.shared().readTree(json);
	}

}
