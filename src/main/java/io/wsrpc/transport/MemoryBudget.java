package io.wsrpc.transport;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The bytes the server holds for its clients, on every connection together: the text of
 * each message until all its calls are answered, and each reply until it is written.
 * Requests take their bytes only if they fit, so a message that does not fit is refused;
 * a reply has already been built, so it always takes its bytes, and its connection
 * decides what to do when the total is over the budget. Published as the
 * {@code rpc.server.memory.held} gauge. Thread-safe.
 */
final class MemoryBudget {

	/**
	 * The size up to which a message is never refused: the call limits bound what such
	 * messages can hold (512 calls of 8 KB are 4 MB), and a client's {@code ping} must
	 * get through while others hold the budget.
	 */
	static final long ALWAYS_FITS = 8 * 1024;

	private final long max;

	private final AtomicLong held = new AtomicLong();

	/** The hold of a message that holds nothing. */
	private final Hold nothing = new Hold(0);

	/**
	 * Creates a budget.
	 * @param max the most bytes that may be held at once
	 * @param meterRegistry where the gauge goes
	 */
	MemoryBudget(long max, MeterRegistry meterRegistry) {
		if (max < 1) {
			throw new IllegalArgumentException("max must be positive: " + max);
		}
		this.max = max;
		Gauge.builder("rpc.server.memory.held", this.held, AtomicLong::get)
			.description("Bytes held for clients: messages whose calls are not all answered, and unsent replies")
			.baseUnit("bytes")
			.register(meterRegistry);
	}

	/**
	 * Takes the bytes of a message, if they fit; a message of up to {@value #ALWAYS_FITS}
	 * bytes always does.
	 * @param bytes the message's size
	 * @return the hold to release once every call of the message is answered, or
	 * {@code null} if the message does not fit
	 */
	@Nullable Hold tryHold(long bytes) {
		if (this.held.addAndGet(bytes) > this.max && bytes > ALWAYS_FITS) {
			this.held.addAndGet(-bytes);
			return null;
		}
		return new Hold(bytes);
	}

	/**
	 * Takes bytes whether they fit or not.
	 * @param bytes how many
	 * @return whether the total is still within the budget
	 */
	boolean take(long bytes) {
		return this.held.addAndGet(bytes) <= this.max;
	}

	/**
	 * Gives back bytes taken with {@link #take}.
	 * @param bytes how many
	 */
	void give(long bytes) {
		this.held.addAndGet(-bytes);
	}

	/**
	 * A hold of no bytes, for a message that was refused.
	 * @return the hold
	 */
	Hold nothing() {
		return this.nothing;
	}

	long max() {
		return this.max;
	}

	/**
	 * The bytes of one message, given back once, however many times {@link #release()} is
	 * called.
	 */
	final class Hold {

		private final AtomicLong bytes;

		private Hold(long bytes) {
			this.bytes = new AtomicLong(bytes);
		}

		void release() {
			long bytes = this.bytes.getAndSet(0);
			if (bytes != 0) {
				give(bytes);
			}
		}

	}

}
