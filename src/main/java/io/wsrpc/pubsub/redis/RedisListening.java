package io.wsrpc.pubsub.redis;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Keeps this instance listening to the events on {@code wsrpc:event:*}, which the broker
 * gets on its own thread. It starts listening in the background and, while Redis cannot
 * be reached, tries again every second, so that the application starts without Redis and
 * joins the other instances once Redis answers; after that the listener subscribes again
 * by itself, every second, whenever it loses Redis. Its two threads,
 * {@code wsrpc-redis-listener-N}, only subscribe.
 */
final class RedisListening implements SmartLifecycle, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisListening.class);

	private static final Duration RETRY = Duration.ofSeconds(1);

	private final ScheduledExecutorService scheduler;

	private final RedisMessageListenerContainer container = new RedisMessageListenerContainer();

	private volatile boolean running;

	private int failedAttempts;

	RedisListening(RedisConnectionFactory connections, RedisBroker broker) {
		AtomicInteger threads = new AtomicInteger();
		this.scheduler = Executors.newScheduledThreadPool(2, (task) -> {
			Thread thread = new Thread(task, "wsrpc-redis-listener-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.container.setConnectionFactory(connections);
		// by itself the container starts a thread per event, out of order
		this.container.setTaskExecutor(broker.inbound());
		// else it subscribes on the thread above, and sleeps there between attempts
		this.container.setSubscriptionExecutor(this.scheduler);
		this.container.setRecoveryInterval(RETRY.toMillis());
		this.container.addMessageListener(broker, new PatternTopic(RedisBroker.CHANNEL_PREFIX + "*"));
		this.container.afterPropertiesSet();
		broker.listenedBy(this.container::isListening);
	}

	@Override
	public void start() {
		this.running = true;
		this.scheduler.execute(this::attempt);
	}

	/** Runs on the scheduler, one attempt at a time. */
	private void attempt() {
		if (!this.running) {
			return;
		}
		try {
			// fails, rather than tries again, when Redis is away at the first attempt
			this.container.start();
			if (this.failedAttempts > 0) {
				logger.info("Listening to events from Redis after {} failed attempts", this.failedAttempts);
			}
		}
		catch (RuntimeException ex) {
			if (this.failedAttempts++ == 0) {
				logger.warn("Cannot listen to events from Redis; trying again every {} s: {}", RETRY.toSeconds(),
						ex.toString());
			}
			// so that the next start() tries again
			this.container.stop();
			this.scheduler.schedule(this::attempt, RETRY.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.container.stop();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Whether this instance is subscribed to the events of the others right now.
	 * @return whether it is
	 */
	boolean isListening() {
		return this.container.isListening();
	}

	@Override
	public void close() throws Exception {
		this.running = false;
		this.scheduler.shutdownNow();
		this.container.destroy();
	}

}
