package io.wsrpc.pubsub;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * The broker of a single instance. Each topic has a log: its epoch, drawn at random when
 * the log is made, its latest offset, and its history. Publishing and subscribing hold
 * the topic's log while they run, so the events of a topic reach subscribers one at a
 * time, in offset order, and a subscription takes effect between two events. A topic's
 * log is forgotten once it has neither subscribers nor events in history; a later event
 * starts a new log, with a new epoch, at offset 1. A restart loses every log.
 * Thread-safe.
 */
final class MemoryBroker implements Broker, AutoCloseable {

	private static final long SWEEP_SECONDS = 10;

	private final Subscriptions subscriptions;

	private final TopicRules rules;

	private final Map<String, TopicLog> logs = new ConcurrentHashMap<>();

	/** The characters of event data held in every topic's history together. */
	private final AtomicLong historyChars = new AtomicLong();

	private final long maxHistoryChars;

	private final SecureRandom random = new SecureRandom();

	private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "wsrpc-topic-history");
		thread.setDaemon(true);
		return thread;
	});

	MemoryBroker(Subscriptions subscriptions, TopicRules rules, DataSize historyMemory) {
		this.subscriptions = subscriptions;
		this.rules = rules;
		this.maxHistoryChars = historyMemory.toBytes();
		this.sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
	}

	@Override
	public int publish(String topic, String dataJson) {
		while (true) {
			TopicLog log = this.logs.computeIfAbsent(topic, this::newLog);
			synchronized (log) {
				if (log.forgotten) {
					continue;
				}
				Event event = log.append(dataJson, System.nanoTime());
				return this.subscriptions.deliver(event);
			}
		}
	}

	@Override
	public Subscribed subscribe(EventSink sink, String topic, @Nullable Since since) {
		while (true) {
			TopicLog log = this.logs.computeIfAbsent(topic, this::newLog);
			synchronized (log) {
				if (log.forgotten) {
					continue;
				}
				List<Event> missed = (since != null) ? log.since(since, System.nanoTime()) : null;
				long after = (missed != null) ? since.offset() : log.latest;
				if (!this.subscriptions.subscribe(sink, topic, log.epoch, after)) {
					return new Subscribed(false, log.latest, log.epoch, null);
				}
				if (missed != null) {
					this.subscriptions.replay(sink, missed);
				}
				return new Subscribed(true, log.latest, log.epoch, (since != null) ? missed != null : null);
			}
		}
	}

	private TopicLog newLog(String topic) {
		byte[] epoch = new byte[6];
		this.random.nextBytes(epoch);
		return new TopicLog(topic, HexFormat.of().formatHex(epoch), this.rules.history(topic));
	}

	/** Forgets the logs of topics with neither subscribers nor events in history. */
	void sweep() {
		long now = System.nanoTime();
		for (TopicLog log : this.logs.values()) {
			synchronized (log) {
				log.expire(now);
				if (log.history.isEmpty() && this.subscriptions.subscribers(log.topic) == 0) {
					log.forgotten = true;
					this.logs.remove(log.topic, log);
				}
			}
		}
	}

	@Override
	public void close() {
		this.sweeper.shutdownNow();
	}

	/**
	 * One topic's epoch, latest offset and history; guarded by its own monitor.
	 */
	private final class TopicLog {

		private final String topic;

		private final String epoch;

		private final TopicRules.History settings;

		private final ArrayDeque<Kept> history = new ArrayDeque<>();

		private long latest;

		private boolean forgotten;

		TopicLog(String topic, String epoch, TopicRules.History settings) {
			this.topic = topic;
			this.epoch = epoch;
			this.settings = settings;
		}

		/**
		 * Gives an event the next offset and keeps it in history. When every topic's
		 * history together would hold more than its memory, this topic's oldest events go
		 * first, and the new one is not kept if that is not enough: history stays a run
		 * of consecutive offsets, so recovery never skips an event.
		 */
		Event append(String dataJson, long now) {
			Event event = new Event(this.topic, dataJson, ++this.latest, this.epoch);
			if (!this.settings.enabled()) {
				return event;
			}
			long size = dataJson.length();
			while (!this.history.isEmpty() && (this.history.size() >= this.settings.size()
					|| MemoryBroker.this.historyChars.get() + size > MemoryBroker.this.maxHistoryChars)) {
				removeOldest();
			}
			if (MemoryBroker.this.historyChars.get() + size <= MemoryBroker.this.maxHistoryChars) {
				this.history.addLast(new Kept(event, now));
				MemoryBroker.this.historyChars.addAndGet(size);
			}
			return event;
		}

		private void removeOldest() {
			MemoryBroker.this.historyChars.addAndGet(-this.history.removeFirst().event.dataJson().length());
		}

		/**
		 * The events after a client's place, if history holds every one of them.
		 * @return the events in offset order (empty if it missed none), or {@code null}
		 * when they cannot all be replayed
		 */
		@Nullable List<Event> since(Since since, long now) {
			expire(now);
			if (!this.epoch.equals(since.epoch()) || since.offset() > this.latest) {
				return null;
			}
			if (since.offset() == this.latest) {
				return List.of();
			}
			Kept oldest = this.history.peekFirst();
			if (oldest == null || oldest.event.offset() > since.offset() + 1) {
				return null;
			}
			List<Event> missed = new ArrayList<>((int) (this.latest - since.offset()));
			for (Kept kept : this.history) {
				if (kept.event.offset() > since.offset()) {
					missed.add(kept.event);
				}
			}
			return missed;
		}

		void expire(long now) {
			long ttl = this.settings.ttl().toNanos();
			while (!this.history.isEmpty() && now - this.history.peekFirst().at > ttl) {
				removeOldest();
			}
		}

	}

	private record Kept(Event event, long at) {
	}

}
