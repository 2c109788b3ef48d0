package io.wsrpc.bench;

import java.time.Duration;

import ch.qos.logback.classic.Logger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.wsrpc.api.CallContext;
import io.wsrpc.dispatch.Call;
import io.wsrpc.dispatch.CallBudget;
import io.wsrpc.dispatch.CallLimit;
import io.wsrpc.dispatch.Dispatcher;
import io.wsrpc.protocol.Outcome;
import io.wsrpc.protocol.RpcJson;
import io.wsrpc.registry.MethodRegistry;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.task.support.TaskExecutorAdapter;

/**
 * The server's call path without a network or a thread hop: the demo methods in a
 * {@link MethodRegistry} and a {@link Dispatcher} whose executor runs each call on the
 * calling thread, so that its outcome is there when {@code dispatch} returns. Every
 * benchmark that runs calls is wired through this class and no other.
 */
@State(Scope.Benchmark)
public class InlineServer {

	/**
	 * How calls are observed: {@code metrics} records a timer and a long task timer per
	 * call, as the server does with Actuator; {@code noop} records nothing.
	 */
	@Param({ "metrics", "noop" })
	public String observations = "metrics";

	private final RpcJson json = new RpcJson();

	private final CallContext caller = CallContext.anonymous("bench");

	private final CallLimit limit = new CallLimit(128);

	private final GenericApplicationContext context = new GenericApplicationContext();

	private ValidatorFactory validation;

	private Dispatcher dispatcher;

	@Setup
	public void start() {
		// Logback logs at DEBUG without Boot; keep Spring's lines out of JMH's output
		((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
			.setLevel(ch.qos.logback.classic.Level.WARN);
		// DemoMethods is package-private in io.wsrpc.demo, so it is registered by name
		this.context.registerBeanDefinition("demoMethods", new RootBeanDefinition("io.wsrpc.demo.DemoMethods"));
		this.context.refresh();
		MethodRegistry registry = MethodRegistry.scan(this.context, this.json, "wsrpc", "bench");
		this.validation = Validation.buildDefaultValidatorFactory();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		this.dispatcher = new Dispatcher(registry, this.validation.getValidator(), this.json,
				new TaskExecutorAdapter(Runnable::run), Duration.ofSeconds(30), new CallBudget(512),
				observationRegistry(meters), meters);
	}

	@TearDown
	public void stop() {
		this.dispatcher.close();
		this.validation.close();
		this.context.close();
	}

	/**
	 * The mapper the methods bind and write with; codecs share it, as in the server.
	 * @return the mapper
	 */
	public RpcJson json() {
		return this.json;
	}

	/**
	 * Who every call comes from: an anonymous caller on one connection.
	 * @return the caller
	 */
	public CallContext caller() {
		return this.caller;
	}

	/**
	 * Runs a call on the calling thread.
	 * @param call the call
	 * @return how it ended
	 * @throws IllegalStateException if the call did not end before {@code dispatch}
	 * returned
	 */
	public Outcome dispatch(Call call) {
		@Nullable Outcome[] ended = new Outcome[1];
		this.dispatcher.dispatch(call, this.limit, (outcome) -> ended[0] = outcome);
		Outcome outcome = ended[0];
		if (outcome == null) {
			throw new IllegalStateException("The call to '" + call.method() + "' did not end on the calling thread");
		}
		return outcome;
	}

	private ObservationRegistry observationRegistry(MeterRegistry meters) {
		if ("noop".equals(this.observations)) {
			return ObservationRegistry.NOOP;
		}
		if (!"metrics".equals(this.observations)) {
			throw new IllegalArgumentException(
					"observations must be 'metrics' or 'noop', not '" + this.observations + "'");
		}
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
		return registry;
	}

}
