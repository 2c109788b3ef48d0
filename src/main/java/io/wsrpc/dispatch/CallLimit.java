package io.wsrpc.dispatch;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many calls one connection may have running at once. Thread-safe.
 */
public final class CallLimit {

	private final int max;

	private final AtomicInteger running = new AtomicInteger();

	/**
	 * Creates a limit.
	 * @param max the most calls that may run at once
	 */
	public CallLimit(int max) {
		this.max = max;
	}

	boolean tryAcquire() {
		int current;
		do {
			current = this.running.get();
			if (current >= this.max) {
				return false;
			}
		}
		while (!this.running.compareAndSet(current, current + 1));
		return true;
	}

	void release() {
		this.running.decrementAndGet();
	}

	int max() {
		return this.max;
	}

}
