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
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * With {@code wsrpc.broker=redis}: the Redis broker, its listener (which subscribes again
 * every second while Redis is away), and a {@code broker} health indicator. Redis is
 * found through Spring Boot's {@code spring.data.redis.*} settings. While Redis is away,
 * sends to it fail at once rather than wait for it, and the connections try again at
 * least every second, so events cross instances again a second or so after Redis returns.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(StringRedisTemplate.class)
@ConditionalOnProperty(name = "wsrpc.broker", havingValue = "redis")
public final class WsrpcRedisBrokerAutoConfiguration {

	@Bean
	RedisBroker redisBroker(Subscriptions subscriptions, StringRedisTemplate redis, TopicRules rules,
			@Value("${spring.data.redis.timeout:1s}") Duration timeout, MeterRegistry meterRegistry) {
		return new RedisBroker(subscriptions, redis, rules, timeout, meterRegistry);
	}

	@Bean
	RedisListening redisListening(RedisConnectionFactory connections, RedisBroker broker) {
		return new RedisListening(connections, broker);
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

	@Bean
	HealthIndicator brokerHealthIndicator(RedisConnectionFactory connections, RedisListening listening) {
		return () -> {
			try (RedisConnection connection = connections.getConnection()) {
				connection.ping();
				boolean listens = listening.isListening();
				return (listens ? Health.up() : Health.down()).withDetail("broker", "redis")
					.withDetail("listening", listens)
					.build();
			}
			catch (RuntimeException ex) {
				return Health.down().withDetail("broker", "redis").withDetail("error", ex.getMessage()).build();
			}
		};
	}

}
