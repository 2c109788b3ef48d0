package io.wsrpc.dispatch;

import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.wsrpc.api.CallContext;
import io.wsrpc.protocol.Dialect;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;

class CallMetricsTests {

	private final Call call = new Call(Dialect.NATIVE, JsonNodeFactory.instance.numberNode(1), "add_numbers",
			JsonNodeFactory.instance.objectNode(), new CallContext(null, Set.of(), "c-1"));

	@Test
	void timedDirectlyAndObservedGiveTheSameTimer() {
		SimpleMeterRegistry direct = new SimpleMeterRegistry();
		new CallMetrics(ObservationRegistry.NOOP, direct, false).start(this.call, "add_numbers").stop("ok");
		SimpleMeterRegistry observedMeters = new SimpleMeterRegistry();
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(observedMeters));
		new CallMetrics(observations, observedMeters, true).start(this.call, "add_numbers").stop("ok");

		assertThat(timers(direct)).isEqualTo(timers(observedMeters)).hasSize(1);
		assertThat(timers(direct).get(0)).contains(Tag.of("method", "add_numbers"), Tag.of("protocol", "ws"),
				Tag.of("outcome", "ok"));
	}

	@Test
	void eachSeriesCountsItsOwnCalls() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		CallMetrics metrics = new CallMetrics(ObservationRegistry.NOOP, meters, false);
		metrics.start(this.call, "add_numbers").stop("ok");
		metrics.start(this.call, "add_numbers").stop("ok");
		metrics.start(this.call, "add_numbers").stop("invalid_params");

		assertThat(meters.get(CallMetrics.NAME).tag("outcome", "ok").timer().count()).isEqualTo(2);
		assertThat(meters.get(CallMetrics.NAME).tag("outcome", "invalid_params").timer().count()).isEqualTo(1);
	}

	private static List<List<Tag>> timers(SimpleMeterRegistry registry) {
		return registry.getMeters()
			.stream()
			.filter(Timer.class::isInstance)
			.map(Meter::getId)
			.filter((id) -> id.getName().equals(CallMetrics.NAME))
			.map(Meter.Id::getTags)
			.toList();
	}

}
