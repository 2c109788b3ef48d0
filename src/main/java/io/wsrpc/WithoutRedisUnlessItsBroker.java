package io.wsrpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Leaves Spring Boot's Redis auto-configuration out of this application unless
 * {@code wsrpc.broker} is {@code redis}: the jar carries the Redis client for the Redis
 * broker, and with the memory broker its client resources, templates and health check
 * would only cost startup time. Exclusions the user configured are kept.
 */
final class WithoutRedisUnlessItsBroker implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	static final List<String> REDIS_AUTO_CONFIGURATIONS = List.of(
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration");

	private static final String EXCLUDE = "spring.autoconfigure.exclude";

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		ConfigurableEnvironment environment = event.getEnvironment();
		if ("redis".equalsIgnoreCase(environment.getProperty("wsrpc.broker", "memory").strip())) {
			return;
		}
		List<String> excluded = new ArrayList<>(
				List.of(environment.getProperty(EXCLUDE, String[].class, new String[0])));
		excluded.addAll(REDIS_AUTO_CONFIGURATIONS);
		environment.getPropertySources()
			.addFirst(new MapPropertySource("wsrpcWithoutRedis", Map.of(EXCLUDE, String.join(",", excluded))));
	}

}
