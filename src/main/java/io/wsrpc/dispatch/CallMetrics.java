package io.wsrpc.dispatch;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wsrpc.protocol.Dialect;

/**
 * Times calls as {@code rpc.server.calls}, tagged by method, outcome and protocol. The
 * method tag only ever holds registered names (anything else is
 * {@value #UNKNOWN_METHOD}), so a client cannot grow the number of series. Thread-safe.
 */
final class CallMetrics {

	/** The method tag of calls to names that are not registered. */
	static final String UNKNOWN_METHOD = "unknown";

	/** The outcome tag of calls that returned. */
	static final String OK = "ok";

	private final MeterRegistry registry;

	private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();

	CallMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void record(Dialect dialect, String method, String outcome, long nanos) {
		this.timers.computeIfAbsent(new Key(dialect, method, outcome), this::timer).record(nanos, TimeUnit.NANOSECONDS);
	}

	private Timer timer(Key key) {
		return Timer.builder("rpc.server.calls")
			.description("Calls by method, outcome code and protocol")
			.tag("method", key.method())
			.tag("outcome", key.outcome())
			.tag("protocol", key.dialect().tag())
			.register(this.registry);
	}

	private record Key(Dialect dialect, String method, String outcome) {
	}

}
