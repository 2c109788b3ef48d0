package io.wsrpc;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.UseMainMethod;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * This application, started through its main method, sets up a Redis client only for the
 * Redis broker.
 */
class WithoutRedisUnlessItsBrokerTests {

	@Nested
	@SpringBootTest(useMainMethod = UseMainMethod.ALWAYS)
	class WithTheMemoryBroker {

		@Autowired
		private ApplicationContext context;

		@Test
		void theApplicationHasNoRedisClient() {
			assertThat(this.context.getBeanNamesForType(RedisConnectionFactory.class)).isEmpty();
			assertThat(this.context.getBeanNamesForType(org.springframework.data.redis.core.RedisTemplate.class))
				.isEmpty();
		}

	}

	@Nested
	@SpringBootTest(useMainMethod = UseMainMethod.ALWAYS,
			properties = { "wsrpc.broker=redis", "spring.data.redis.port=1" })
	class WithTheRedisBroker {

		@Autowired
		private ApplicationContext context;

		@Test
		void theApplicationHasBootsRedisClient() {
			assertThat(this.context.getBeanNamesForType(RedisConnectionFactory.class)).isNotEmpty();
		}

	}

}
