package io.wsrpc.pubsub.redis;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.pubsub.Broker;
import io.wsrpc.pubsub.Subscriptions;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * With {@code wsrpc.broker=redis}: the Redis broker, its listener (which subscribes again
 * every second while Redis is away), and a {@code broker} health indicator. Redis is
 * found through Spring Boot's {@code spring.data.redis.*} settings.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "wsrpc.broker", havingValue = "redis")
class RedisBrokerConfiguration {

	@Bean
	RedisBroker redisBroker(Subscriptions subscriptions, StringRedisTemplate redis, MeterRegistry meterRegistry) {
		return new RedisBroker(subscriptions, redis, meterRegistry);
	}

	@Bean
	RedisMessageListenerContainer redisBrokerListener(RedisConnectionFactory connections, RedisBroker broker) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connections);
		// by itself the container starts a thread per event, out of order
		container.setTaskExecutor(broker.inbound());
		container.addMessageListener(broker, new PatternTopic(RedisBroker.CHANNEL_PREFIX + "*"));
		container.setRecoveryInterval(Duration.ofSeconds(1).toMillis());
		return container;
	}

	@Bean("broker")
	HealthIndicator brokerHealthIndicator(RedisConnectionFactory connections) {
		return () -> {
			try (RedisConnection connection = connections.getConnection()) {
				connection.ping();
				return Health.up().withDetail("broker", "redis").build();
			}
			catch (RuntimeException ex) {
				return Health.down().withDetail("broker", "redis").withDetail("error", ex.getMessage()).build();
			}
		};
	}

}
