package io.wsrpc.dispatch;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.wsrpc.protocol.ErrorCode;
import io.wsrpc.protocol.Outcome;
import org.jspecify.annotations.Nullable;

/**
 * The calls in flight on the whole server, the share of them one connection may take, and
 * the shutdown drain that stops taking more. A call takes a place in its connection's
 * {@link CallLimit} and one in this budget, or neither.
 * <p>
 * A call is counted twice, for two different promises. Its <em>place</em> is held while
 * it runs and freed just before its reply goes out ({@link #release}), since a client may
 * send its next call the moment it reads a reply and must then find the place free. The
 * call stays <em>unanswered</em> a little longer, until its reply has been handed over
 * ({@link #answered}), so that a shutdown that waits for {@link #awaitIdle} waits for the
 * replies too; {@link #inFlight()} (the gauge {@code rpc.server.calls.in-flight} and
 * {@code /actuator/rpc}) reports this count. A call is unanswered from before the drain
 * is checked, so a drain that begins after the check sees it and waits for it.
 * <p>
 * Fairness: the last quarter of the total (rounded up) is held back for light
 * connections, those with fewer than an eighth of their own limit running (at least one).
 * Once three quarters of the total are in use, a connection with more calls running gets
 * {@code overloaded}, so connections that fill their limits cannot take the places a
 * light client needs for its next call. Inline calls take a place in their connection's
 * limit but none here: they hold no thread of the server, and a client's {@code ping}
 * must be answered however many long calls others hold. Thread-safe.
 */
public final class CallBudget {

	private static final Outcome.Failure SHUTTING_DOWN = Outcome.Failure.of(ErrorCode.OVERLOADED,
			"The server is shutting down; send the call to another instance or retry after reconnecting.");

	private final int max;

	private final int reserved;

	private final AtomicInteger places = new AtomicInteger();

	private final AtomicInteger unanswered = new AtomicInteger();

	private volatile boolean draining;

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
	 * Counts a call as unanswered and takes its places, in the connection's limit and in
	 * this budget, or in neither. Whatever it returns, the caller calls
	 * {@link #answered()} once the call's reply is handed over; and, when this returned
	 * {@code null}, {@link #release} just before.
	 * @param limit the connection's limit
	 * @param inline whether the call runs on the thread that read it; it then takes a
	 * place in its connection's limit only, since it holds no thread of the server's
	 * @return {@code null} when the call may run, otherwise its {@code overloaded} reply
	 */
	Outcome.@Nullable Failure tryAcquire(CallLimit limit, boolean inline) {
		// unanswered before the drain is checked: a drain that begins after the check
		// sees
		// this call and waits for it (both are volatile, so one of the two sees the
		// other)
		this.unanswered.incrementAndGet();
		if (this.draining) {
			return SHUTTING_DOWN;
		}
		int held = limit.tryAcquire();
		if (held < 0) {
			return Outcome.Failure.of(ErrorCode.OVERLOADED, "This connection already has " + limit.max()
					+ " calls running; wait for their replies before sending more.");
		}
		if (inline) {
			return null;
		}
		boolean light = held < lightBelow(limit);
		int current;
		do {
			current = this.places.get();
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
		while (!this.places.compareAndSet(current, current + 1));
		return null;
	}

	/**
	 * Frees the places a call took with {@link #tryAcquire}, just before its reply goes
	 * out; the call stays unanswered until {@link #answered()}.
	 * @param limit the connection's limit
	 * @param inline as given to {@link #tryAcquire}
	 */
	void release(CallLimit limit, boolean inline) {
		limit.release();
		if (!inline) {
			this.places.decrementAndGet();
		}
	}

	/**
	 * Notes that the reply of a call counted by {@link #tryAcquire} has been handed over.
	 */
	void answered() {
		this.unanswered.decrementAndGet();
	}

	private static int lightBelow(CallLimit limit) {
		return Math.max(1, limit.max() / 8);
	}

	/**
	 * Stops taking calls: from now on every call gets {@code overloaded}, while the calls
	 * already in flight go on.
	 */
	public void drain() {
		this.draining = true;
	}

	/**
	 * Waits until every call has been answered.
	 * @param timeout the longest to wait
	 * @return whether every call was answered in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean awaitIdle(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.unanswered.get() > 0) {
			if (System.nanoTime() - deadline >= 0) {
				return false;
			}
			Thread.sleep(10);
		}
		return true;
	}

	/**
	 * The calls in flight now, on every connection: those not yet answered.
	 * @return the count
	 */
	public int inFlight() {
		return this.unanswered.get();
	}

	/**
	 * The most calls that may be in flight at once.
	 * @return the total
	 */
	public int max() {
		return this.max;
	}

}
