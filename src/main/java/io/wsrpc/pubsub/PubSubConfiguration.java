package io.wsrpc.pubsub;

import io.wsrpc.WsrpcProperties;
import io.wsrpc.protocol.RpcJson;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires topics: the local subscriptions, the broker ({@code memory} unless
 * {@code wsrpc.broker=redis}), the publisher and the topic methods.
 */
@Configuration(proxyBeanMethods = false)
class PubSubConfiguration {

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
