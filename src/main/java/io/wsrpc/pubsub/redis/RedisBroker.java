package io.wsrpc.pubsub.redis;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.dispatch.LogLimit;
import io.wsrpc.pubsub.Broker;
import io.wsrpc.pubsub.Event;
import io.wsrpc.pubsub.EventSink;
import io.wsrpc.pubsub.Since;
import io.wsrpc.pubsub.Subscribed;
import io.wsrpc.pubsub.Subscriptions;
import io.wsrpc.pubsub.TopicRules;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The broker of several instances, through Redis. Each topic has a hash in Redis with its
 * epoch and latest offset, and a stream with its history; a Lua script gives each event
 * its offset, adds it to the stream and publishes it on the channel
 * {@code wsrpc:event:TOPIC} in one step, so offsets, history and the channel agree.
 * <p>
 * Every instance, the publishing one included, hands the events it hears on
 * {@code wsrpc:event:*} to its subscribers on one thread of its own, in the order Redis
 * sent them, which is offset order. A subscription is made on that same thread, reading
 * the topic's offset (and, with {@code since}, the missed events) from Redis in one step,
 * so that it takes effect between two events: nothing is lost or sent twice between the
 * replayed events and the live ones.
 * <p>
 * While Redis cannot be reached, an event goes to this instance's subscribers only,
 * without an offset, and is counted in {@code rpc.pubsub.broker.failures}; a subscription
 * takes effect without an offset. Calls to Redis fail at once while it is disconnected
 * and time out after {@code spring.data.redis.timeout} while it does not answer.
 */
final class RedisBroker implements Broker, MessageListener, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisBroker.class);

	static final String CHANNEL_PREFIX = "wsrpc:event:";

	static final String TOPIC_PREFIX = "wsrpc:topic:";

	static final String HISTORY_PREFIX = "wsrpc:history:";

	/** How long a topic's offset and epoch outlive its last event, at least. */
	static final Duration TOPIC_LIFETIME = Duration.ofDays(1);

	private static final RedisScript<Long> PUBLISH = RedisScript
		.of(new ClassPathResource("io/wsrpc/pubsub/redis/publish.lua"), Long.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> POSITION = RedisScript
		.of(new ClassPathResource("io/wsrpc/pubsub/redis/position.lua"), List.class);

	private final Subscriptions subscriptions;

	private final StringRedisTemplate redis;

	private final TopicRules rules;

	private final Duration timeout;

	private final Counter failures;

	private final LogLimit failureLog = new LogLimit(logger, Level.WARN, "events that reached this instance only", 5,
			Duration.ofSeconds(10));

	private final SecureRandom random = new SecureRandom();

	private final ExecutorService inbound = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "wsrpc-redis-events");
		thread.setDaemon(true);
		return thread;
	});

	RedisBroker(Subscriptions subscriptions, StringRedisTemplate redis, TopicRules rules, Duration timeout,
			MeterRegistry meterRegistry) {
		this.subscriptions = subscriptions;
		this.redis = redis;
		this.rules = rules;
		this.timeout = timeout;
		this.failures = Counter.builder("rpc.pubsub.broker.failures")
			.description("Events that could not be sent to other instances through Redis")
			.register(meterRegistry);
	}

	@Override
	public int publish(String topic, String dataJson) {
		int local = this.subscriptions.subscribers(topic);
		TopicRules.History history = this.rules.history(topic);
		try {
			this.redis.execute(PUBLISH, List.of(TOPIC_PREFIX + topic, HISTORY_PREFIX + topic), dataJson, newEpoch(),
					Integer.toString(history.size()), Long.toString(history.ttl().toMillis()),
					Long.toString(Math.max(history.ttl().toMillis(), TOPIC_LIFETIME.toMillis())),
					CHANNEL_PREFIX + topic, Long.toString(System.currentTimeMillis()));
		}
		catch (RuntimeException ex) {
			this.failures.increment();
			if (this.failureLog.permits()) {
				logger.warn("Event on '{}' reached this instance only: {}", topic, ex.toString());
			}
			// behind the events already heard from Redis
			this.inbound.execute(() -> this.subscriptions.deliver(Event.unordered(topic, dataJson)));
		}
		return local;
	}

	@Override
	public Subscribed subscribe(EventSink sink, String topic, @Nullable Since since) {
		Future<Subscribed> subscribed = this.inbound.submit(() -> subscribeInOrder(sink, topic, since));
		try {
			return subscribed.get(this.timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			subscribed.cancel(true);
			throw new IllegalStateException("Interrupted while subscribing", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not subscribe to '" + topic + "'", ex);
		}
	}

	/** Runs on the inbound thread, between two events. */
	private Subscribed subscribeInOrder(EventSink sink, String topic, @Nullable Since since) {
		List<?> position;
		try {
			position = this.redis.execute(POSITION, List.of(TOPIC_PREFIX + topic, HISTORY_PREFIX + topic), newEpoch(),
					Long.toString(TOPIC_LIFETIME.toMillis()), (since != null) ? Long.toString(since.offset()) : "-1",
					(since != null) ? since.epoch() : "",
					Long.toString(System.currentTimeMillis() - this.rules.history(topic).ttl().toMillis()));
		}
		catch (RuntimeException ex) {
			logger.debug("Subscription to '{}' takes effect without an offset: {}", topic, ex.toString());
			boolean isNew = this.subscriptions.subscribe(sink, topic, "", 0);
			return new Subscribed(isNew, null, null, (since != null) ? false : null);
		}
		long latest = Long.parseLong(String.valueOf(position.get(0)));
		String epoch = String.valueOf(position.get(1));
		boolean recovered = since != null && "1".equals(String.valueOf(position.get(2)));
		long after = recovered ? since.offset() : latest;
		if (!this.subscriptions.subscribe(sink, topic, epoch, after)) {
			return new Subscribed(false, latest, epoch, null);
		}
		if (recovered) {
			List<Event> missed = new ArrayList<>(position.size() - 3);
			for (int i = 3; i < position.size(); i++) {
				missed.add(new Event(topic, String.valueOf(position.get(i)), after + i - 2, epoch));
			}
			this.subscriptions.replay(sink, missed);
		}
		return new Subscribed(true, latest, epoch, (since != null) ? recovered : null);
	}

	private String newEpoch() {
		byte[] epoch = new byte[6];
		this.random.nextBytes(epoch);
		return HexFormat.of().formatHex(epoch);
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
		int first = body.indexOf('\n');
		int second = (first >= 0) ? body.indexOf('\n', first + 1) : -1;
		if (!channel.startsWith(CHANNEL_PREFIX) || second < 0) {
			return;
		}
		long offset;
		try {
			offset = Long.parseLong(body, 0, first, 10);
		}
		catch (NumberFormatException ex) {
			return;
		}
		this.subscriptions.deliver(new Event(channel.substring(CHANNEL_PREFIX.length()), body.substring(second + 1),
				offset, body.substring(first + 1, second)));
	}

	@Override
	public void close() {
		this.inbound.shutdownNow();
	}

}
