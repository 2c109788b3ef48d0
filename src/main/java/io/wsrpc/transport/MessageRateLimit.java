package io.wsrpc.transport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.wsrpc.WsrpcProperties;

/**
 * How many calls one connection may send: a token bucket of {@code burst} calls refilling
 * at {@code messagesPerSecond}, each message taking one and each call of a JSON-RPC batch
 * beyond its first one more, and a second bucket that counts the messages the first
 * refused; a connection that empties that one too is closed. Thread-safe.
 */
final class MessageRateLimit {

	private final Bucket messages;

	private final Bucket refusals;

	MessageRateLimit(WsrpcProperties.RateLimit limit) {
		this.messages = Bucket.builder()
			.addLimit((bandwidth) -> bandwidth.capacity(limit.burst())
				.refillGreedy(limit.messagesPerSecond(), Duration.ofSeconds(1)))
			.build();
		this.refusals = Bucket.builder()
			.addLimit((bandwidth) -> bandwidth.capacity(limit.closeAfter())
				.refillGreedy(limit.closeAfter(), Duration.ofSeconds(1)))
			.build();
	}

	/**
	 * Takes one message.
	 * @return 0 if the message may go on, the milliseconds until it could (at least 1) if
	 * it is refused, or -1 if the connection should be closed
	 */
	long admit() {
		ConsumptionProbe probe = this.messages.tryConsumeAndReturnRemaining(1);
		if (probe.isConsumed()) {
			return 0;
		}
		if (!this.refusals.tryConsume(1)) {
			return -1;
		}
		return retryAfter(probe);
	}

	/**
	 * Takes one more call of a message already admitted, such as the second call of a
	 * batch. Refusing it does not count toward closing: its message was admitted.
	 * @return 0 if the call may go on, or the milliseconds until it could (at least 1)
	 */
	long admitAnother() {
		ConsumptionProbe probe = this.messages.tryConsumeAndReturnRemaining(1);
		return probe.isConsumed() ? 0 : retryAfter(probe);
	}

	private static long retryAfter(ConsumptionProbe probe) {
		return Math.max(1, TimeUnit.NANOSECONDS.toMillis(probe.getNanosToWaitForRefill()));
	}

}
