package io.wsrpc.dispatch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import io.wsrpc.api.CallContext;
import io.wsrpc.protocol.ErrorCode;
import io.wsrpc.protocol.Outcome;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;

import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskRejectedException;

/**
 * One call that runs beyond the thread that dispatched it, on the executor or waiting for
 * the {@code CompletionStage} its method returned, racing its deadline and whoever may
 * cancel it. Whichever ends it first wins; the loser's outcome is dropped, and a call
 * ended from outside has its method interrupted and its stage cancelled. Thread-safe.
 */
final class RunningCall implements CallLimit.Cancellable {

	private final Call call;

	private final long deadline;

	private final Outcomes outcomes;

	private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

	private volatile @Nullable Future<?> task;

	private volatile @Nullable CompletionStage<?> stage;

	/**
	 * Creates a call that has not started.
	 * @param call the call
	 * @param deadline when it is overdue, on the {@link System#nanoTime()} clock
	 * @param outcomes turns its result or exception into its outcome
	 */
	RunningCall(Call call, long deadline, Outcomes outcomes) {
		this.call = call;
		this.deadline = deadline;
		this.outcomes = outcomes;
	}

	/**
	 * Hands the outcome to a consumer once the call ended, on the thread that ended it.
	 * @param ended receives the outcome, exactly once
	 */
	void whenEnded(Consumer<Outcome> ended) {
		this.outcome.thenAccept(ended);
	}

	@Override
	public @Nullable JsonNode requestId() {
		return this.call.requestId();
	}

	/**
	 * Runs the method on the executor, unless the call already ended; a full executor
	 * ends it with {@code overloaded}.
	 * @param executor where methods run
	 * @param invocation the method
	 */
	void start(AsyncTaskExecutor executor, Invocation invocation) {
		if (this.outcome.isDone()) {
			return;
		}
		try {
			Future<?> submitted = executor.submit(() -> run(invocation));
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

	private void run(Invocation invocation) {
		if (this.outcome.isDone()) {
			return;
		}
		try (MDC.MDCCloseable connection = MDC.putCloseable(Dispatcher.CONNECTION_KEY,
				this.call.context().connectionId());
				MDC.MDCCloseable request = MDC.putCloseable(Dispatcher.REQUEST_KEY, Outcomes.describe(this.call))) {
			try {
				Object result = invocation.invoke(this.call.context().forCall(this.outcome::isDone));
				if (result instanceof CompletionStage<?> pending) {
					follow(pending);
				}
				else {
					this.outcome.complete(this.outcomes.success(result));
				}
			}
			catch (Throwable ex) {
				if (!this.outcome.isDone()) {
					// a call ended by its deadline is interrupted; that is no failure of
					// its own
					this.outcome.complete(this.outcomes.failure(this.call, ex));
				}
			}
		}
	}

	/**
	 * Ends the call when the stage its method returned completes.
	 * @param pending what the method returned
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
			this.outcome.complete((ex != null) ? this.outcomes.failure(this.call, ex) : this.outcomes.success(value));
		}
		catch (RuntimeException writeFailure) {
			this.outcome.complete(this.outcomes.failure(this.call, writeFailure));
		}
	}

	/**
	 * Whether the call is past its deadline.
	 * @param now the time on the {@link System#nanoTime()} clock
	 * @return {@code true} once it is
	 */
	boolean overdue(long now) {
		return now - this.deadline >= 0;
	}

	@Override
	public boolean cancel(Outcome.Failure failure) {
		return end(failure);
	}

	/**
	 * Ends the call from outside, unless it already ended, and stops its method.
	 * @param failure the reply
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

	/**
	 * A method bound to its call's params, waiting for the context of the call.
	 */
	@FunctionalInterface
	interface Invocation {

		/**
		 * Invokes the method.
		 * @param context the caller, with the call's cancellation
		 * @return what the method returned
		 * @throws Throwable whatever the method threw
		 */
		@Nullable Object invoke(CallContext context) throws Throwable;

	}

}
