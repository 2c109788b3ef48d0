package io.wsrpc.client;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * When to try again after the connection drops: exponential backoff with jitter.
 *
 * @param enabled whether to reconnect at all
 * @param initialDelay the wait before the first attempt
 * @param maxDelay the longest wait between attempts
 * @param multiplier how much longer each wait is than the last
 * @param jitter the fraction by which each wait varies at random either way (0 to 1), so
 * that many clients do not return at the same moment
 * @param maxAttempts attempts before giving up; 0 for no limit
 */
public record ReconnectPolicy(boolean enabled, Duration initialDelay, Duration maxDelay, double multiplier,
		double jitter, int maxAttempts) {

	public ReconnectPolicy {
		Objects.requireNonNull(initialDelay, "initialDelay");
		Objects.requireNonNull(maxDelay, "maxDelay");
		if (multiplier < 1 || jitter < 0 || jitter > 1 || maxAttempts < 0) {
			throw new IllegalArgumentException("multiplier >= 1, 0 <= jitter <= 1, maxAttempts >= 0");
		}
	}

	/**
	 * Reconnects forever, waiting 250 ms, then twice as long each time up to 30 s, ±50%.
	 * @return the default policy
	 */
	public static ReconnectPolicy defaults() {
		return new ReconnectPolicy(true, Duration.ofMillis(250), Duration.ofSeconds(30), 2.0, 0.5, 0);
	}

	/**
	 * Never reconnects.
	 * @return the policy
	 */
	public static ReconnectPolicy none() {
		return new ReconnectPolicy(false, Duration.ZERO, Duration.ZERO, 1, 0, 0);
	}

	/**
	 * The wait before an attempt.
	 * @param attempt the attempt, from 1
	 * @param random a source of uniform numbers in [0, 1)
	 * @return the wait, or {@code null} when the policy gives up
	 */
	public @org.jspecify.annotations.Nullable Duration delay(int attempt, DoubleSupplier random) {
		if (!this.enabled || (this.maxAttempts > 0 && attempt > this.maxAttempts)) {
			return null;
		}
		double base = Math.min(this.maxDelay.toMillis(),
				this.initialDelay.toMillis() * Math.pow(this.multiplier, Math.min(attempt - 1, 62)));
		double factor = 1 - this.jitter + 2 * this.jitter * random.getAsDouble();
		return Duration.ofMillis(Math.round(base * factor));
	}

}
