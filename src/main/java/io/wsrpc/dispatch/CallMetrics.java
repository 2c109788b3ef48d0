package io.wsrpc.dispatch;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Observes each call as {@code rpc.server.calls}, through the Observation API, so that
 * one place feeds the metrics (a timer tagged by method, outcome and protocol, and the
 * {@code rpc.server.calls.active} long task timer) and, where Micrometer Tracing is
 * present, a span named after the method. The method tag only ever holds registered names
 * (anything else is {@value #UNKNOWN_METHOD}), so a client cannot grow the number of
 * series. Thread-safe.
 */
final class CallMetrics {

	/** The name of the observation, and so of the timer. */
	static final String NAME = "rpc.server.calls";

	/** The method tag of calls to names that are not registered. */
	static final String UNKNOWN_METHOD = "unknown";

	/** The outcome tag of calls that returned. */
	static final String OK = "ok";

	private final ObservationRegistry registry;

	CallMetrics(ObservationRegistry registry) {
		this.registry = registry;
	}

	Observation start(Call call, String method) {
		return Observation.createNotStarted(NAME, this.registry)
			.contextualName(method)
			.lowCardinalityKeyValue("method", method)
			.lowCardinalityKeyValue("protocol", call.dialect().tag())
			.start();
	}

	void stop(Observation observation, String outcome) {
		observation.lowCardinalityKeyValue("outcome", outcome);
		observation.stop();
	}

}
