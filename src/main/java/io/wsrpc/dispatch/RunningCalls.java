package io.wsrpc.dispatch;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.wsrpc.protocol.ErrorCode;
import io.wsrpc.protocol.Outcome;

import org.springframework.core.task.AsyncTaskExecutor;

/**
 * The calls running beyond the thread that dispatched them, on every connection, and
 * their deadlines. One thread sweeps them once per tick (a tenth of the call timeout, at
 * most 100 ms) instead of a timer per call, which would wake it for every call; a call
 * ends with {@code timeout} at most one tick after its deadline. Each call is also known
 * to its connection's {@link CallLimit}, so that its client or its connection's close can
 * cancel it. Thread-safe; {@link #close()} stops the sweeping thread.
 */
final class RunningCalls implements AutoCloseable {

	private static final long MAX_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private static final Outcome.Failure SHUT_DOWN = Outcome.Failure.of(ErrorCode.OVERLOADED,
			"The server shut down before the call finished.");

	private final AsyncTaskExecutor executor;

	private final Outcomes outcomes;

	private final long timeoutNanos;

	private final Outcome.Failure timedOut;

	private final Set<RunningCall> running = ConcurrentHashMap.newKeySet();

	private final ScheduledThreadPoolExecutor timer;

	/**
	 * Starts the sweep.
	 * @param executor where methods run
	 * @param timeout how long a call may run
	 * @param outcomes turns results and exceptions into outcomes
	 */
	RunningCalls(AsyncTaskExecutor executor, Duration timeout, Outcomes outcomes) {
		this.executor = executor;
		this.outcomes = outcomes;
		this.timeoutNanos = timeout.toNanos();
		this.timedOut = Outcome.Failure.of(ErrorCode.TIMEOUT,
				"The call did not finish within " + timeout.toMillis() + " ms; its result will be dropped.");
		this.timer = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "rpc-deadlines");
			thread.setDaemon(true);
			return thread;
		});
		long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(MAX_TICK_NANOS, this.timeoutNanos / 10));
		this.timer.scheduleWithFixedDelay(this::expireOverdue, tick, tick, TimeUnit.NANOSECONDS);
	}

	/**
	 * Runs a call's method on the executor under the call's deadline.
	 * @param call the call
	 * @param limit the limit of the call's connection
	 * @param invocation the method
	 * @param reply receives the outcome, exactly once
	 */
	void start(Call call, CallLimit limit, RunningCall.Invocation invocation, Consumer<Outcome> reply) {
		track(call, limit, reply).start(this.executor, invocation);
	}

	/**
	 * Ends a call when the stage its method returned completes, or at its deadline.
	 * @param call the call
	 * @param limit the limit of the call's connection
	 * @param pending what the method returned
	 * @param reply receives the outcome, exactly once
	 */
	void follow(Call call, CallLimit limit, CompletionStage<?> pending, Consumer<Outcome> reply) {
		track(call, limit, reply).follow(pending);
	}

	private RunningCall track(Call call, CallLimit limit, Consumer<Outcome> reply) {
		RunningCall running = new RunningCall(call, System.nanoTime() + this.timeoutNanos, this.outcomes);
		this.running.add(running);
		running.whenEnded((outcome) -> {
			this.running.remove(running);
			limit.untrack(running);
			reply.accept(outcome);
		});
		limit.track(running);
		return running;
	}

	/**
	 * Runs a task now and then on the sweeping thread, which is idle between ticks.
	 * @param task the task; it should take no longer than a tick
	 * @param period the time between one run's end and the next one's start
	 */
	void repeat(Runnable task, Duration period) {
		this.timer.scheduleWithFixedDelay(task, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * Ends every call still running with an {@code overloaded} error and interrupts its
	 * method, for a shutdown that can wait no longer.
	 */
	void cancelAll() {
		for (RunningCall call : this.running) {
			call.end(SHUT_DOWN);
		}
	}

	private void expireOverdue() {
		long now = System.nanoTime();
		for (RunningCall call : this.running) {
			if (call.overdue(now)) {
				call.end(this.timedOut);
			}
		}
	}

	@Override
	public void close() {
		this.timer.shutdownNow();
	}

}
