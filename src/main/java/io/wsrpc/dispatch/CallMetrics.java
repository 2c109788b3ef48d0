package io.wsrpc.dispatch;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.wsrpc.protocol.Dialect;

/**
 * Times each call as {@code rpc.server.calls}, tagged by method, outcome and protocol.
 * With Micrometer Tracing on the classpath each call is an observation (Observation API),
 * so that one place feeds both the timer and a span named after the method. Without it
 * there is nothing but the timer to feed, and the timer is recorded directly from a cache
 * of meters, which costs a fraction of an observation per call. Both ways give the same
 * timer. The method tag only ever holds registered names (anything else is
 * {@value #UNKNOWN_METHOD}), so a client cannot grow the number of series. Thread-safe.
 */
final class CallMetrics {

	/** The name of the observation, and so of the timer. */
	static final String NAME = "rpc.server.calls";

	/** The method tag of calls to names that are not registered. */
	static final String UNKNOWN_METHOD = "unknown";

	/** The outcome tag of calls that returned. */
	static final String OK = "ok";

	private static final String TRACER = "io.micrometer.tracing.Tracer";

	private final ObservationRegistry observations;

	private final MeterRegistry meters;

	private final boolean observed;

	private final Map<Series, Timer> timers = new ConcurrentHashMap<>();

	CallMetrics(ObservationRegistry observations, MeterRegistry meters) {
		this(observations, meters, isTracerPresent());
	}

	CallMetrics(ObservationRegistry observations, MeterRegistry meters, boolean observed) {
		this.observations = observations;
		this.meters = meters;
		this.observed = observed;
	}

	private static boolean isTracerPresent() {
		try {
			Class.forName(TRACER, false, CallMetrics.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	/**
	 * Registers the timer of successful calls of each method on each protocol, so that
	 * {@value #NAME} exists, at zero, before the first call.
	 * @param methods the registered names
	 */
	void registerEach(Collection<String> methods) {
		for (String method : methods) {
			for (Dialect dialect : Dialect.values()) {
				timer(new Series(method, dialect.tag(), OK));
			}
		}
	}

	Sample start(Call call, String method) {
		if (this.observed) {
			Observation observation = Observation.createNotStarted(NAME, this.observations)
				.contextualName(method)
				.lowCardinalityKeyValue("method", method)
				.lowCardinalityKeyValue("protocol", call.dialect().tag())
				.start();
			return (outcome) -> {
				observation.lowCardinalityKeyValue("outcome", outcome);
				observation.stop();
			};
		}
		long started = System.nanoTime();
		String protocol = call.dialect().tag();
		return (outcome) -> timer(new Series(method, protocol, outcome)).record(System.nanoTime() - started,
				TimeUnit.NANOSECONDS);
	}

	private Timer timer(Series series) {
		Timer timer = this.timers.get(series);
		if (timer == null) {
			// the tags of the timer an observation would have fed, "error" included
			timer = this.timers.computeIfAbsent(series,
					(key) -> Timer.builder(NAME)
						.tag("method", key.method())
						.tag("protocol", key.protocol())
						.tag("outcome", key.outcome())
						.tag("error", "none")
						.register(this.meters));
		}
		return timer;
	}

	/**
	 * One call being timed.
	 */
	@FunctionalInterface
	interface Sample {

		/**
		 * Ends the timing.
		 * @param outcome {@value #OK} or the error code
		 */
		void stop(String outcome);

	}

	private record Series(String method, String protocol, String outcome) {
	}

}
