package io.wsrpc.dispatch;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.wsrpc.api.CallContext;
import io.wsrpc.api.RpcException;
import io.wsrpc.protocol.ErrorCode;
import io.wsrpc.protocol.Outcome;
import io.wsrpc.protocol.RpcError;
import io.wsrpc.protocol.RpcJson;
import io.wsrpc.registry.Cancellation;
import io.wsrpc.registry.MethodRegistry;
import io.wsrpc.registry.RegisteredMethod;
import jakarta.validation.Validator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskRejectedException;

/**
 * Runs calls: applies the connection's in-flight limit and the server's
 * {@link CallBudget}, finds the method, and on the executor binds and validates params,
 * invokes the method and writes its result, all under the call's deadline. Methods marked
 * {@code inline} skip the executor and the deadline and run on the caller's thread. Every
 * way a call can end becomes an {@link Outcome} here, and nowhere else.
 * <p>
 * {@link #dispatch} never blocks (beyond running an inline method) and never throws: it
 * hands the outcome to the caller's reply callback exactly once, from whichever thread
 * finished the call, and only then frees the call's place in the limit. Thread-safe.
 * <p>
 * A call that runs beyond the dispatching thread (on the executor, or waiting for the
 * {@code CompletionStage} an inline method returned) can be cancelled: by
 * {@code rpc.cancel} from its own connection, which this class answers itself ahead of
 * every limit, or by its connection closing ({@link CallLimit#cancelAll()}). Either ends
 * it with {@code cancelled} at once, interrupts its method and cancels its stage.
 */
public final class Dispatcher implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Dispatcher.class);

	private static final String NULL_JSON = "null";

	/** The MDC key of the connection id in log lines about a call. */
	public static final String CONNECTION_KEY = "connection";

	/** The MDC key of the request id in log lines about a call. */
	public static final String REQUEST_KEY = "request";

	/**
	 * How long each log limit of the server lasts before its count starts again; its
	 * summary follows within a second.
	 */
	public static final Duration LOG_INTERVAL = Duration.ofSeconds(5);

	// a client's failed calls and the server's own failures have separate limits, so that
	// a client's flood cannot hide a bug
	private final LogLimit failedCallLog = new LogLimit(logger, Level.INFO, "failed calls", 10, LOG_INTERVAL);

	private final LogLimit internalErrorLog = new LogLimit(logger, Level.ERROR, "internal errors", 5, LOG_INTERVAL);

	private final MethodRegistry registry;

	private final ParamBinder binder;

	private final ParamValidator validator;

	private final RpcJson json;

	private final AsyncTaskExecutor executor;

	private final long timeoutNanos;

	private final CallMetrics metrics;

	private static final long MAX_DEADLINE_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final ScheduledThreadPoolExecutor deadlines;

	private final CallBudget budget;

	private final Set<RunningCall> running = ConcurrentHashMap.newKeySet();

	public Dispatcher(MethodRegistry registry, Validator validator, RpcJson json, AsyncTaskExecutor executor,
			Duration callTimeout, CallBudget budget, ObservationRegistry observations, MeterRegistry meterRegistry) {
		this.registry = registry;
		this.budget = budget;
		this.binder = new ParamBinder(json);
		this.validator = new ParamValidator(validator, registry);
		this.json = json;
		this.executor = executor;
		this.timeoutNanos = callTimeout.toNanos();
		this.metrics = new CallMetrics(observations, meterRegistry);
		Gauge.builder("rpc.server.calls.in-flight", budget, CallBudget::inFlight)
			.description("Calls running now, on every connection")
			.register(meterRegistry);
		this.deadlines = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "rpc-deadlines");
			thread.setDaemon(true);
			return thread;
		});
		// one sweep per tick instead of a timer per call, which would wake this thread
		// for every call; a call ends at most one tick after its deadline
		long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(1),
				Math.min(MAX_DEADLINE_TICK_NANOS, this.timeoutNanos / 10));
		this.deadlines.scheduleWithFixedDelay(this::expireOverdue, tick, tick, TimeUnit.NANOSECONDS);
		this.deadlines.scheduleWithFixedDelay(this::flushLogLimits, 1, 1, TimeUnit.SECONDS);
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
			finish(call, sample, cancel(call, found.get(), limit), reply);
			return;
		}
		Outcome.Failure refusal = this.budget.tryAcquire(limit);
		if (refusal != null) {
			try {
				finish(call, sample, refusal, reply);
			}
			finally {
				this.budget.answered();
			}
			return;
		}
		Consumer<Outcome> replyAndRelease = (outcome) -> {
			this.budget.release(limit);
			try {
				finish(call, sample, outcome, reply);
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
		Outcome.Failure denied = Access.checkMethod(call.context(), found.get().name(), found.get().roles());
		if (denied != null) {
			replyAndRelease.accept(denied);
			return;
		}
		if (found.get().inline()) {
			runInline(call, found.get(), limit, replyAndRelease);
		}
		else {
			new RunningCall(call, found.get(), limit, replyAndRelease).start();
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
			return success(requestId != null && limit.cancel(requestId));
		}
		catch (Throwable ex) {
			return failure(call, ex);
		}
	}

	/**
	 * Runs an inline method on this thread; only a {@code CompletionStage} it returns
	 * races the deadline.
	 */
	private void runInline(Call call, RegisteredMethod method, CallLimit limit, Consumer<Outcome> reply) {
		Outcome outcome;
		try (MDC.MDCCloseable request = MDC.putCloseable(REQUEST_KEY, describe(call))) {
			try {
				// nothing can cancel it while it runs on this thread
				Object result = invoke(method, call, call.context());
				if (result instanceof CompletionStage<?> pending) {
					new RunningCall(call, method, limit, reply).follow(pending);
					return;
				}
				outcome = success(result);
			}
			catch (Throwable ex) {
				outcome = failure(call, ex);
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
		finish(call, this.metrics.start(call, metricName), failure, reply);
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
		for (RunningCall call : this.running) {
			call.end(Outcome.Failure.of(ErrorCode.OVERLOADED, "The server shut down before the call finished."));
		}
	}

	private void expireOverdue() {
		long now = System.nanoTime();
		for (RunningCall call : this.running) {
			if (call.overdue(now)) {
				call.expire();
			}
		}
	}

	/**
	 * The calls running now, on every connection.
	 * @return the count
	 */
	public int inFlight() {
		return this.budget.inFlight();
	}

	@Override
	public void close() {
		this.deadlines.shutdownNow();
	}

	private void finish(Call call, CallMetrics.Sample sample, Outcome outcome, Consumer<Outcome> reply) {
		String code = CallMetrics.OK;
		if (outcome instanceof Outcome.Failure failure) {
			code = failure.error().code();
			if (!ErrorCode.INTERNAL_ERROR.wireName().equals(code) && this.failedCallLog.permits()) {
				String request = describe(call);
				try (MDC.MDCCloseable connection = MDC.putCloseable(CONNECTION_KEY, call.context().connectionId());
						MDC.MDCCloseable id = MDC.putCloseable(REQUEST_KEY, request)) {
					logger.info("Call {} to '{}' failed with {}", request, LogText.printable(call.method()), code);
				}
			}
		}
		sample.stop(code);
		reply.accept(outcome);
	}

	private Outcome success(@Nullable Object value) {
		return new Outcome.Success((value != null) ? this.json.write(value) : NULL_JSON);
	}

	/**
	 * The one place where an exception becomes a reply.
	 */
	private Outcome.Failure failure(Call call, Throwable thrown) {
		Throwable cause = thrown;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		if (cause instanceof RpcException rpc) {
			Integer jsonRpcCode = rpc.jsonRpcCode();
			int numeric = (jsonRpcCode != null) ? jsonRpcCode
					: ErrorCode.fromWireName(rpc.code())
						.map(ErrorCode::jsonRpcCode)
						.orElse(RpcException.DEFAULT_JSON_RPC_CODE);
			Object details = rpc.details();
			if (details != null) {
				try {
					// written here, so that details Jackson cannot write cost this call
					// its
					// details and not its reply
					details = this.json.mapper().valueToTree(details);
				}
				catch (RuntimeException ex) {
					logger.error("Call {} to '{}' failed with {} whose details cannot be written as JSON",
							describe(call), LogText.printable(call.method()), LogText.printable(rpc.code()), ex);
					return Outcome.Failure.of(ErrorCode.INTERNAL_ERROR, "The method failed on the server.");
				}
			}
			return new Outcome.Failure(new RpcError(rpc.code(), rpc.getMessage(), details, numeric));
		}
		if (cause instanceof InvalidParamsException invalid) {
			return new Outcome.Failure(RpcError.of(ErrorCode.INVALID_PARAMS, invalid.getMessage(), invalid.errors()));
		}
		if (this.internalErrorLog.permits()) {
			logger.error("Call {} to '{}' failed with internal_error", describe(call), LogText.printable(call.method()),
					cause);
		}
		return Outcome.Failure.of(ErrorCode.INTERNAL_ERROR, "The method failed on the server.");
	}

	private void flushLogLimits() {
		this.failedCallLog.flush();
		this.internalErrorLog.flush();
	}

	private static String describe(Call call) {
		JsonNode id = call.requestId();
		if (id == null) {
			return "(notification)";
		}
		// as JSON, without a generator: this runs for every call
		if (id.isString()) {
			return LogText.printable('"' + id.asString() + '"');
		}
		return LogText.printable(id.isIntegralNumber() ? id.asString() : id.toString());
	}

	/**
	 * One call on its way through the executor, racing its deadline. Whichever ends it
	 * first wins; the loser's outcome is dropped.
	 */
	private final class RunningCall implements Runnable, CallLimit.Cancellable {

		private final Call call;

		private final RegisteredMethod method;

		private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

		private volatile @Nullable Future<?> task;

		private volatile @Nullable CompletionStage<?> stage;

		private final long deadline;

		RunningCall(Call call, RegisteredMethod method, CallLimit limit, Consumer<Outcome> reply) {
			this.call = call;
			this.method = method;
			this.deadline = System.nanoTime() + Dispatcher.this.timeoutNanos;
			Dispatcher.this.running.add(this);
			this.outcome.thenAccept((ended) -> {
				Dispatcher.this.running.remove(this);
				limit.untrack(this);
				reply.accept(ended);
			});
			limit.track(this);
		}

		@Override
		public @Nullable JsonNode requestId() {
			return this.call.requestId();
		}

		void start() {
			if (this.outcome.isDone()) {
				return;
			}
			try {
				Future<?> submitted = Dispatcher.this.executor.submit(this);
				this.task = submitted;
				if (this.outcome.isDone()) {
					// ended before its task was known, so end() could not interrupt it
					submitted.cancel(true);
				}
			}
			catch (TaskRejectedException ex) {
				this.outcome.complete(Outcome.Failure.of(ErrorCode.OVERLOADED,
						"The server cannot take more calls right now; retry later."));
			}
		}

		@Override
		public void run() {
			if (this.outcome.isDone()) {
				return;
			}
			try (MDC.MDCCloseable connection = MDC.putCloseable(CONNECTION_KEY, this.call.context().connectionId());
					MDC.MDCCloseable request = MDC.putCloseable(REQUEST_KEY, describe(this.call))) {
				invoke();
			}
		}

		private void invoke() {
			try {
				Object result = Dispatcher.this.invoke(this.method, this.call,
						this.call.context().forCall(this.outcome::isDone));
				if (result instanceof CompletionStage<?> pending) {
					follow(pending);
				}
				else {
					this.outcome.complete(success(result));
				}
			}
			catch (Throwable ex) {
				if (!this.outcome.isDone()) {
					// a call ended by its deadline is interrupted; that is no failure of
					// its own
					this.outcome.complete(failure(this.call, ex));
				}
			}
		}

		/**
		 * Ends the call when the stage its method returned completes.
		 */
		void follow(CompletionStage<?> pending) {
			this.stage = pending;
			pending.whenComplete(this::completeFromStage);
			if (this.outcome.isDone()) {
				// ended while the method ran
				pending.toCompletableFuture().cancel(true);
			}
		}

		private void completeFromStage(@Nullable Object value, @Nullable Throwable ex) {
			if (this.outcome.isDone()) {
				return;
			}
			try {
				this.outcome.complete((ex != null) ? failure(this.call, ex) : success(value));
			}
			catch (RuntimeException writeFailure) {
				this.outcome.complete(failure(this.call, writeFailure));
			}
		}

		boolean overdue(long now) {
			return now - this.deadline >= 0;
		}

		private void expire() {
			long millis = TimeUnit.NANOSECONDS.toMillis(Dispatcher.this.timeoutNanos);
			end(Outcome.Failure.of(ErrorCode.TIMEOUT,
					"The call did not finish within " + millis + " ms; its result will be dropped."));
		}

		@Override
		public boolean cancel(Outcome.Failure failure) {
			return end(failure);
		}

		/**
		 * Ends the call from outside, unless it already ended, and stops its method.
		 * @return whether this ended the call
		 */
		boolean end(Outcome.Failure failure) {
			if (!this.outcome.complete(failure)) {
				return false;
			}
			Future<?> running = this.task;
			if (running != null) {
				running.cancel(true);
			}
			CompletionStage<?> pending = this.stage;
			if (pending != null) {
				pending.toCompletableFuture().cancel(true);
			}
			return true;
		}

	}

}
