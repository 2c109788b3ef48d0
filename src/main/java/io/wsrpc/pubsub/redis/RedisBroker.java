package io.wsrpc.pubsub.redis;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.pubsub.Broker;
import io.wsrpc.pubsub.Subscriptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Publishes each event to local subscribers directly and to the other instances through
 * the Redis channel {@code wsrpc:event:TOPIC}; hears the other instances' events on the
 * pattern {@code wsrpc:event:*} and ignores its own, so every subscriber gets an event
 * once. Events from Redis are handed to local subscribers on one thread of the broker's
 * own, in the order Redis sent them, so events one publisher publishes to one topic
 * arrive in that order on every instance. While Redis is away local delivery goes on, the
 * failures are counted in {@code rpc.pubsub.broker.failures}, and the listener container
 * subscribes again when Redis returns.
 */
final class RedisBroker implements Broker, MessageListener, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisBroker.class);

	static final String CHANNEL_PREFIX = "wsrpc:event:";

	private final Subscriptions subscriptions;

	private final StringRedisTemplate redis;

	private final String instance = UUID.randomUUID().toString();

	private final Counter failures;

	private final ExecutorService inbound = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "wsrpc-redis-events");
		thread.setDaemon(true);
		return thread;
	});

	RedisBroker(Subscriptions subscriptions, StringRedisTemplate redis, MeterRegistry meterRegistry) {
		this.subscriptions = subscriptions;
		this.redis = redis;
		this.failures = Counter.builder("rpc.pubsub.broker.failures")
			.description("Events that could not be sent to other instances through Redis")
			.register(meterRegistry);
	}

	@Override
	public int publish(String topic, String dataJson) {
		int local = this.subscriptions.deliver(topic, dataJson);
		try {
			this.redis.convertAndSend(CHANNEL_PREFIX + topic, this.instance + "\n" + dataJson);
		}
		catch (RuntimeException ex) {
			this.failures.increment();
			logger.debug("Event on '{}' reached this instance only: {}", topic, ex.toString());
		}
		return local;
	}

	/**
	 * Where the listener container hands over events from Redis: one thread, in order.
	 * @return the executor
	 */
	Executor inbound() {
		return this.inbound;
	}

	@Override
	public void onMessage(Message message, byte[] pattern) {
		String channel = new String(message.getChannel(), StandardCharsets.UTF_8);
		String body = new String(message.getBody(), StandardCharsets.UTF_8);
		int newline = body.indexOf('\n');
		if (!channel.startsWith(CHANNEL_PREFIX) || newline < 0 || body.startsWith(this.instance + "\n")) {
			return;
		}
		this.subscriptions.deliver(channel.substring(CHANNEL_PREFIX.length()), body.substring(newline + 1));
	}

	@Override
	public void close() {
		this.inbound.shutdownNow();
	}

}
