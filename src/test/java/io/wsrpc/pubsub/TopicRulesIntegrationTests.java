package io.wsrpc.pubsub;

import io.wsrpc.WsrpcApplication;
import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "wsrpc.pubsub.rules[0].pattern=ops.*", "wsrpc.pubsub.rules[0].subscribe-roles=admin",
				"wsrpc.pubsub.rules[0].publish-roles=admin", "wsrpc.pubsub.rules[1].pattern=chat.staff.*",
				"wsrpc.pubsub.rules[1].subscribe-roles=admin", "wsrpc.pubsub.rules[2].pattern=news.desk.internal",
				"wsrpc.pubsub.rules[2].subscribe-roles=admin", "wsrpc.pubsub.publish-roles=user" })
class TopicRulesIntegrationTests {

	@LocalServerPort
	private int port;

	@Test
	void topicRulesDecideWhoMaySubscribeAndPublish() {
		try (TestClient anonymous = TestClient.connect(this.port, "/ws")) {
			assertThat(code(anonymous, "subscribe", "ops.alerts")).isEqualTo("unauthorized");
			assertThat(code(anonymous, "subscribe", "ops.*")).isEqualTo("unauthorized");
			assertThat(code(anonymous, "subscribe", "o.*")).isEqualTo("ok");
			assertThat(code(anonymous, "subscribe", "chat.lobby")).isEqualTo("ok");
			assertThat(code(anonymous, "publish", "chat.lobby")).isEqualTo("unauthorized");
		}
	}

	@Test
	void wildcardSubscriptionMustAlsoPassEveryTopicRuleBelowItsPrefix() {
		try (TestClient anonymous = TestClient.connect(this.port, "/ws")) {
			// a wildcard rule below the prefix
			assertThat(code(anonymous, "subscribe", "chat.*")).isEqualTo("unauthorized");
			assertThat(code(anonymous, "subscribe", "chat.staff.*")).isEqualTo("unauthorized");
			assertThat(code(anonymous, "subscribe", "chat.public.*")).isEqualTo("ok");
			// a rule for one topic, two segments below the prefix
			assertThat(code(anonymous, "subscribe", "news.*")).isEqualTo("unauthorized");
			assertThat(code(anonymous, "subscribe", "news.desk.*")).isEqualTo("unauthorized");
			assertThat(code(anonymous, "subscribe", "news.desk.internal")).isEqualTo("unauthorized");
			assertThat(code(anonymous, "subscribe", "news.desk.public")).isEqualTo("ok");
			assertThat(code(anonymous, "subscribe", "news.sports.*")).isEqualTo("ok");
			// prefixes are whole segments: new.* holds no topic of news
			assertThat(code(anonymous, "subscribe", "new.*")).isEqualTo("ok");
		}
	}

	@Test
	void topicRuleWhosePatternIsNeitherATopicNorAPrefixStopsStartupNamingIt() {
		SpringApplicationBuilder application = new SpringApplicationBuilder(WsrpcApplication.class).properties(
				"server.port=0", "wsrpc.pubsub.rules[0].pattern=ops.*", "wsrpc.pubsub.rules[0].subscribe-roles=admin",
				"wsrpc.pubsub.rules[1].pattern=secret*", "wsrpc.pubsub.rules[1].subscribe-roles=admin");

		assertThatException().isThrownBy(() -> application.run().close())
			.havingRootCause()
			.withMessage("wsrpc.pubsub.rules[1].pattern 'secret*' is neither a topic nor a prefix ending in .*: "
					+ "1 to 128 characters of letters, digits, _ - : in dot-separated segments, "
					+ "optionally ending in .* to subscribe to all below");
	}

	private static String code(TestClient client, String action, String topic) {
		String params = action.equals("publish") ? "{\"topic\": \"" + topic + "\", \"data\": 1}"
				: "{\"topic\": \"" + topic + "\"}";
		JsonNode reply = client.call("{\"request_id\": 1, \"action\": \"" + action + "\", \"params\": " + params + "}");
		return reply.get("status").asString().equals("ok") ? "ok" : reply.at("/error/code").asString();
	}

}
