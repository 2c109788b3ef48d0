package io.wsrpc.pubsub.redis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.pubsub.Broker;
import io.wsrpc.pubsub.Subscriptions;
import io.wsrpc.pubsub.TopicRules;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
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
 * found through Spring Boot's {@code spring.data.redis.*} settings. While Redis is away,
 * sends to it fail at once rather than wait for it, and the connections try again at
 * least every second, so events cross instances again a second or so after Redis returns.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "wsrpc.broker", havingValue = "redis")
class RedisBrokerConfiguration {

	@Bean
	RedisBroker redisBroker(Subscriptions subscriptions, StringRedisTemplate redis, TopicRules rules,
			@Value("${spring.data.redis.timeout:1s}") Duration timeout, MeterRegistry meterRegistry) {
		return new RedisBroker(subscriptions, redis, rules, timeout, meterRegistry);
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

	@Bean
	LettuceClientOptionsBuilderCustomizer redisFailsSendsWhileDisconnected() {
		// else a send, and its publisher, waits for the command timeout
		return (options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

	@Bean
	ClientResourcesBuilderCustomizer redisReconnectsWithinASecond() {
		// Lettuce's default delay doubles after each failed attempt, up to 30 s
		return (resources) -> resources
			.reconnectDelay(Delay.exponential(Duration.ZERO, Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS));
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
