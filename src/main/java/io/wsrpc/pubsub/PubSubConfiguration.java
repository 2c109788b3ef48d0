package io.wsrpc.pubsub;

import io.wsrpc.WsrpcProperties;
import io.wsrpc.protocol.RpcJson;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires topics: the local subscriptions, the publisher and the topic methods.
 */
@Configuration(proxyBeanMethods = false)
class PubSubConfiguration {

	@Bean
	Subscriptions subscriptions(WsrpcProperties properties) {
		return new Subscriptions(properties.pubsub().maxSubscriptions());
	}

	@Bean
	EventPublisher eventPublisher(Subscriptions subscriptions, RpcJson json) {
		return new EventPublisher(subscriptions, json);
	}

	@Bean
	TopicMethods topicMethods(Subscriptions subscriptions, EventSinks sinks, EventPublisher publisher,
			WsrpcProperties properties) {
		return new TopicMethods(subscriptions, sinks, publisher, properties.pubsub().subscribeRoles(),
				properties.pubsub().publishRoles());
	}

}
