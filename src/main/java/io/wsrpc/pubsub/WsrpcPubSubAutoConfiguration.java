package io.wsrpc.pubsub;

import io.wsrpc.WsrpcProperties;
import io.wsrpc.protocol.RpcJson;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Wires topics: the local subscriptions, the broker ({@code memory} unless
 * {@code wsrpc.broker=redis} or the application has a {@link Broker} of its own), the
 * publisher and the topic methods.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.SERVLET)
@EnableConfigurationProperties(WsrpcProperties.class)
public final class WsrpcPubSubAutoConfiguration {

	@Bean
	Subscriptions subscriptions(WsrpcProperties properties) {
		return new Subscriptions(properties.pubsub().maxSubscriptions());
	}

	@Bean
	TopicRules topicRules(WsrpcProperties properties) {
		return new TopicRules(properties.pubsub());
	}

	@Bean
	@ConditionalOnProperty(name = "wsrpc.broker", havingValue = "memory", matchIfMissing = true)
	@ConditionalOnMissingBean(Broker.class)
	MemoryBroker memoryBroker(Subscriptions subscriptions, TopicRules rules, WsrpcProperties properties) {
		return new MemoryBroker(subscriptions, rules, properties.pubsub().historyMemory());
	}

	@Bean
	EventPublisher eventPublisher(Broker broker, RpcJson json) {
		return new EventPublisher(broker, json);
	}

	@Bean
	TopicMethods topicMethods(Subscriptions subscriptions, Broker broker, EventSinks sinks, EventPublisher publisher,
			TopicRules rules) {
		return new TopicMethods(subscriptions, broker, sinks, publisher, rules);
	}

}
