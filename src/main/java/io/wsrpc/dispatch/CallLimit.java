package io.wsrpc.dispatch;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.wsrpc.protocol.ErrorCode;
import io.wsrpc.protocol.Outcome;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The calls of one connection: how many may run at once, and which run now, so that the
 * client can cancel one by its request id and the connection's close can cancel them all.
 * Thread-safe.
 */
public final class CallLimit {

	private static final Outcome.Failure CONNECTION_CLOSED = Outcome.Failure.of(ErrorCode.CANCELLED,
			"The connection closed before the call finished.");

	private static final Outcome.Failure CANCELLED_BY_CLIENT = Outcome.Failure.of(ErrorCode.CANCELLED,
			"The call was cancelled by its client.");

	private final int max;

	private final AtomicInteger running = new AtomicInteger();

	private final Set<Cancellable> calls = ConcurrentHashMap.newKeySet();

	private volatile boolean closed;

	/**
	 * Creates a limit.
	 * @param max the most calls that may run at once
	 */
	public CallLimit(int max) {
		this.max = max;
	}

	/**
	 * Takes a place for a call, if one is free.
	 * @return the calls that ran before this one took its place, or {@code -1} when none
	 * is free
	 */
	int tryAcquire() {
		int current;
		do {
			current = this.running.get();
			if (current >= this.max) {
				return -1;
			}
		}
		while (!this.running.compareAndSet(current, current + 1));
		return current;
	}

	void release() {
		this.running.decrementAndGet();
	}

	int max() {
		return this.max;
	}

	/**
	 * Notes a call that runs beyond the thread that dispatched it; a call that arrives
	 * after the connection closed is cancelled at once.
	 */
	void track(Cancellable call) {
		this.calls.add(call);
		if (this.closed) {
			cancel(call, CONNECTION_CLOSED);
		}
	}

	void untrack(Cancellable call) {
		this.calls.remove(call);
	}

	/**
	 * Cancels the running calls with a request id.
	 * @param requestId the id, compared as a JSON value
	 * @return whether any call was cancelled by this
	 */
	boolean cancel(JsonNode requestId) {
		boolean cancelled = false;
		for (Cancellable call : this.calls) {
			if (sameId(call.requestId(), requestId)) {
				cancelled |= call.cancel(CANCELLED_BY_CLIENT);
			}
		}
		return cancelled;
	}

	/**
	 * Cancels every call running now or started later, because the connection closed:
	 * each ends with {@code cancelled} and its method is interrupted.
	 */
	public void cancelAll() {
		this.closed = true;
		for (Cancellable call : this.calls) {
			cancel(call, CONNECTION_CLOSED);
		}
	}

	private void cancel(Cancellable call, Outcome.Failure failure) {
		call.cancel(failure);
		this.calls.remove(call);
	}

	private static boolean sameId(@Nullable JsonNode running, JsonNode wanted) {
		if (running == null) {
			return false;
		}
		if (running.isNumber() && wanted.isNumber()) {
			return running.decimalValue().compareTo(wanted.decimalValue()) == 0;
		}
		return running.equals(wanted);
	}

	/**
	 * A call that can be ended from outside.
	 */
	interface Cancellable {

		/**
		 * The call's request id.
		 * @return the id, or {@code null} for a notification
		 */
		@Nullable JsonNode requestId();

		/**
		 * Ends the call with a failure, unless it already ended, and stops its method.
		 * @param failure the reply
		 * @return whether this ended the call
		 */
		boolean cancel(Outcome.Failure failure);

	}

}
