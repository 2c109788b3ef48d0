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
	@ConditionalOnProperty(name = "wsrpc.broker", havingValue = "memory", matchIfMissing = true)
	Broker memoryBroker(Subscriptions subscriptions) {
		return subscriptions::deliver;
	}

	@Bean
	EventPublisher eventPublisher(Broker broker, RpcJson json) {
		return new EventPublisher(broker, json);
	}

	@Bean
	TopicMethods topicMethods(Subscriptions subscriptions, EventSinks sinks, EventPublisher publisher,
			WsrpcProperties properties) {
		return new TopicMethods(subscriptions, sinks, publisher, properties.pubsub());
	}

}
