package io.wsrpc.dispatch;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.wsrpc.api.CallContext;
import io.wsrpc.protocol.ErrorCode;
import io.wsrpc.protocol.Outcome;
import io.wsrpc.protocol.RpcJson;
import io.wsrpc.registry.Cancellation;
import io.wsrpc.registry.MethodRegistry;
import io.wsrpc.registry.RegisteredMethod;
import jakarta.validation.Validator;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;

import org.springframework.core.task.AsyncTaskExecutor;

/**
 * Runs calls, in this order: takes the call's places in its connection's limit and in the
 * server's {@link CallBudget}, finds the method, checks the caller's roles with
 * {@link Access}, then binds and validates params and invokes the method, on the executor
 * under the call's deadline ({@link RunningCalls}), or, for methods marked
 * {@code inline}, on the caller's thread without one. {@link Outcomes} turns every way a
 * call can end into its {@link Outcome}.
 * <p>
 * {@link #dispatch} never blocks (beyond running an inline method) and never throws: it
 * hands the outcome to the caller's reply callback exactly once, from whichever thread
 * finished the call. The call's places are freed just before, and the call counts as in
 * flight until just after. Thread-safe.
 * <p>
 * A call that runs beyond the dispatching thread (on the executor, or waiting for the
 * {@code CompletionStage} an inline method returned) can be cancelled: by
 * {@code rpc.cancel} from its own connection, which this class answers itself ahead of
 * every limit, or by its connection closing ({@link CallLimit#cancelAll()}). Either ends
 * it with {@code cancelled} at once, interrupts its method and cancels its stage.
 */
public final class Dispatcher implements AutoCloseable {

	/** The MDC key of the connection id in log lines about a call. */
	public static final String CONNECTION_KEY = "connection";

	/** The MDC key of the request id in log lines about a call. */
	public static final String REQUEST_KEY = "request";

	/**
	 * How long each log limit of the server lasts before its count starts again; its
	 * summary follows within a second.
	 */
	public static final Duration LOG_INTERVAL = Duration.ofSeconds(5);

	private final MethodRegistry registry;

	private final ParamBinder binder;

	private final ParamValidator validator;

	private final CallBudget budget;

	private final CallMetrics metrics;

	private final Outcomes outcomes;

	private final RunningCalls running;

	public Dispatcher(MethodRegistry registry, Validator validator, RpcJson json, AsyncTaskExecutor executor,
			Duration callTimeout, CallBudget budget, ObservationRegistry observations, MeterRegistry meterRegistry) {
		this.registry = registry;
		this.binder = new ParamBinder(json);
		this.validator = new ParamValidator(validator, registry);
		this.budget = budget;
		this.metrics = new CallMetrics(observations, meterRegistry);
		this.metrics.registerEach(registry.methods().stream().map(RegisteredMethod::name).toList());
		this.outcomes = new Outcomes(json);
		this.running = new RunningCalls(executor, callTimeout, this.outcomes);
		this.running.repeat(this.outcomes::flushLogLimits, Duration.ofSeconds(1));
		Gauge.builder("rpc.server.calls.in-flight", budget, CallBudget::inFlight)
			.description("Calls running now, on every connection")
			.register(meterRegistry);
	}

	/**
	 * Runs a call and hands its outcome to {@code reply} exactly once.
	 * @param call the call
	 * @param limit the in-flight limit of the call's connection, taken together with the
	 * server's budget
	 * @param reply receives the outcome, on any thread; it should not block for long
	 */
	public void dispatch(Call call, CallLimit limit, Consumer<Outcome> reply) {
		Optional<RegisteredMethod> found = this.registry.find(call.method());
		String metricName = found.map(RegisteredMethod::name).orElse(CallMetrics.UNKNOWN_METHOD);
		CallMetrics.Sample sample = this.metrics.start(call, metricName);
		if (found.isPresent() && Cancellation.METHOD_NAME.equals(found.get().name())) {
			// never refused by a limit or a drain: it frees a place rather than taking
			// one
			this.outcomes.finish(call, sample, cancel(call, found.get(), limit), reply);
			return;
		}
		boolean inline = found.isPresent() && found.get().inline();
		Outcome.Failure refusal = this.budget.tryAcquire(limit, inline);
		if (refusal != null) {
			try {
				this.outcomes.finish(call, sample, refusal, reply);
			}
			finally {
				this.budget.answered();
			}
			return;
		}
		Consumer<Outcome> replyAndRelease = (outcome) -> {
			this.budget.release(limit, inline);
			try {
				this.outcomes.finish(call, sample, outcome, reply);
			}
			finally {
				this.budget.answered();
			}
		};
		if (found.isEmpty()) {
			replyAndRelease.accept(Outcome.Failure.of(ErrorCode.METHOD_NOT_FOUND,
					"No method is named '" + LogText.printable(call.method()) + "'; call rpc.discover for the list."));
			return;
		}
		RegisteredMethod method = found.get();
		Outcome.Failure denied = Access.checkMethod(call.context(), method.name(), method.roles());
		if (denied != null) {
			replyAndRelease.accept(denied);
			return;
		}
		if (method.inline()) {
			runInline(call, method, limit, replyAndRelease);
		}
		else {
			this.running.start(call, limit, (context) -> invoke(method, call, context), replyAndRelease);
		}
	}

	/**
	 * Answers {@code rpc.cancel}: cancels the call of the caller's connection that has
	 * the given request id, if it is still running.
	 */
	private Outcome cancel(Call call, RegisteredMethod method, CallLimit limit) {
		try {
			Object[] args = this.binder.bind(method, call.params(), call.context());
			JsonNode requestId = (JsonNode) args[0];
			return this.outcomes.success(requestId != null && limit.cancel(requestId));
		}
		catch (Throwable ex) {
			return this.outcomes.failure(call, ex);
		}
	}

	/**
	 * Runs an inline method on this thread; only a {@code CompletionStage} it returns
	 * races the deadline.
	 */
	private void runInline(Call call, RegisteredMethod method, CallLimit limit, Consumer<Outcome> reply) {
		Outcome outcome;
		try (MDC.MDCCloseable request = MDC.putCloseable(REQUEST_KEY, Outcomes.describe(call))) {
			try {
				// nothing can cancel it while it runs on this thread
				Object result = invoke(method, call, call.context());
				if (result instanceof CompletionStage<?> pending) {
					this.running.follow(call, limit, pending, reply);
					return;
				}
				outcome = this.outcomes.success(result);
			}
			catch (Throwable ex) {
				outcome = this.outcomes.failure(call, ex);
			}
		}
		reply.accept(outcome);
	}

	private Object invoke(RegisteredMethod method, Call call, CallContext context) throws Throwable {
		Object[] args = this.binder.bind(method, call.params(), context);
		this.validator.validate(method, args);
		return method.invoke(args);
	}

	/**
	 * Answers a call without running it, for a reason found before dispatch (such as a
	 * rate limit), so that it is counted like every other call.
	 * @param call the call
	 * @param failure the reply's error
	 * @param reply receives the outcome, at once
	 */
	public void refuse(Call call, Outcome.Failure failure, Consumer<Outcome> reply) {
		String metricName = this.registry.find(call.method())
			.map(RegisteredMethod::name)
			.orElse(CallMetrics.UNKNOWN_METHOD);
		this.outcomes.finish(call, this.metrics.start(call, metricName), failure, reply);
	}

	/**
	 * Stops taking calls: from now on every call gets {@code overloaded}, while the calls
	 * already running go on.
	 */
	public void drain() {
		this.budget.drain();
	}

	/**
	 * Waits until every call has been answered.
	 * @param timeout the longest to wait
	 * @return whether every call finished in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean awaitIdle(Duration timeout) throws InterruptedException {
		return this.budget.awaitIdle(timeout);
	}

	/**
	 * Ends every call still running with an {@code overloaded} error and interrupts its
	 * method, for a shutdown that can wait no longer.
	 */
	public void cancelAll() {
		this.running.cancelAll();
	}

	/**
	 * The calls in flight now, on every connection.
	 * @return the count
	 */
	public int inFlight() {
		return this.budget.inFlight();
	}

	@Override
	public void close() {
		this.running.close();
	}

}
