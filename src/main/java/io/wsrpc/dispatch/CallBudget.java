package io.wsrpc.dispatch;

import java.util.concurrent.atomic.AtomicInteger;

import io.wsrpc.protocol.ErrorCode;
import io.wsrpc.protocol.Outcome;
import org.jspecify.annotations.Nullable;

/**
 * The calls in flight on the whole server, and the share of them one connection may take.
 * A call takes a place in its connection's {@link CallLimit} and one in this budget, or
 * neither.
 * <p>
 * Fairness: the last quarter of the total (rounded up) is held back for light
 * connections, those with fewer than an eighth of their own limit running (at least one).
 * Once three quarters of the total are in use, a connection with more calls running gets
 * {@code overloaded}, so connections that fill their limits cannot take the places a
 * light client needs for its next call. Thread-safe.
 */
public final class CallBudget {

	private final int max;

	private final int reserved;

	private final AtomicInteger running = new AtomicInteger();

	/**
	 * Creates a budget.
	 * @param max the most calls that may be in flight at once, on every connection
	 * together
	 */
	public CallBudget(int max) {
		if (max < 1) {
			throw new IllegalArgumentException("max must be positive: " + max);
		}
		this.max = max;
		this.reserved = (max + 3) / 4;
	}

	/**
	 * Takes a place for a call of a connection, in the connection's limit and in this
	 * budget, or in neither.
	 * @param limit the connection's limit
	 * @return {@code null} when the call may run, otherwise its {@code overloaded} reply
	 */
	Outcome.@Nullable Failure tryAcquire(CallLimit limit) {
		int held = limit.tryAcquire();
		if (held < 0) {
			return Outcome.Failure.of(ErrorCode.OVERLOADED, "This connection already has " + limit.max()
					+ " calls running; wait for their replies before sending more.");
		}
		boolean light = held < lightBelow(limit);
		int current;
		do {
			current = this.running.get();
			if (current >= this.max) {
				limit.release();
				return Outcome.Failure.of(ErrorCode.OVERLOADED,
						"The server has " + this.max + " calls running; retry later.");
			}
			if (!light && current >= this.max - this.reserved) {
				limit.release();
				return Outcome.Failure.of(ErrorCode.OVERLOADED, "The server is busy and this connection has " + held
						+ " calls running; wait for their replies before sending more.");
			}
		}
		while (!this.running.compareAndSet(current, current + 1));
		return null;
	}

	/**
	 * Frees the places a call took with {@link #tryAcquire}.
	 * @param limit the connection's limit
	 */
	void release(CallLimit limit) {
		limit.release();
		this.running.decrementAndGet();
	}

	private static int lightBelow(CallLimit limit) {
		return Math.max(1, limit.max() / 8);
	}

	/**
	 * The calls holding a place now, on every connection.
	 * @return the count
	 */
	public int inFlight() {
		return this.running.get();
	}

	/**
	 * The most calls that may be in flight at once.
	 * @return the total
	 */
	public int max() {
		return this.max;
	}

}
