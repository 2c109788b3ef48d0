package io.wsrpc.dispatch;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * Caps one kind of log line, so that no client can flood the log: at most a fixed number
 * of lines pass in each interval, and the lines held back are counted and reported in one
 * summary line, at the same level, once the interval is over. The summary is written by
 * the first {@link #permits()} after the interval, or by {@link #flush()}, whichever
 * comes first. Thread-safe.
 */
public final class LogLimit {

	private final Logger logger;

	private final Level level;

	private final String about;

	private final int linesPerInterval;

	private final String every;

	private final long intervalNanos;

	private final LongSupplier nanoTime;

	private long intervalStart;

	private int written;

	private long skipped;

	/**
	 * A limit on the system clock.
	 * @param logger where the summary goes
	 * @param level the level of the lines and of their summary
	 * @param about what the lines are about, for the summary ("failed calls")
	 * @param linesPerInterval the most lines that pass in one interval
	 * @param interval how long one interval lasts
	 */
	public LogLimit(Logger logger, Level level, String about, int linesPerInterval, Duration interval) {
		this(logger, level, about, linesPerInterval, interval, System::nanoTime);
	}

	LogLimit(Logger logger, Level level, String about, int linesPerInterval, Duration interval, LongSupplier nanoTime) {
		this.logger = logger;
		this.level = level;
		this.about = about;
		this.linesPerInterval = linesPerInterval;
		this.every = (interval.toMillis() % 1000 == 0) ? interval.toSeconds() + " s" : interval.toMillis() + " ms";
		this.intervalNanos = interval.toNanos();
		this.nanoTime = nanoTime;
		this.intervalStart = nanoTime.getAsLong();
	}

	/**
	 * Whether one more line may be written now; a line that may not is counted for the
	 * summary. Writes the summary of the last interval first, when it is over.
	 * @return {@code true} if the caller should write its line
	 */
	public boolean permits() {
		long summary;
		boolean permitted;
		synchronized (this) {
			summary = endIntervalIfOver();
			permitted = this.written < this.linesPerInterval;
			if (permitted) {
				this.written++;
			}
			else {
				this.skipped++;
			}
		}
		summarize(summary);
		return permitted;
	}

	/**
	 * Writes the summary of the last interval if it is over and lines were held back in
	 * it; for a timer, so that the summary does not wait for the next line.
	 */
	public void flush() {
		long summary;
		synchronized (this) {
			summary = endIntervalIfOver();
		}
		summarize(summary);
	}

	private long endIntervalIfOver() {
		long now = this.nanoTime.getAsLong();
		if (now - this.intervalStart < this.intervalNanos) {
			return 0;
		}
		long summary = this.skipped;
		this.intervalStart = now;
		this.written = 0;
		this.skipped = 0;
		return summary;
	}

	private void summarize(long skipped) {
		if (skipped == 0) {
			return;
		}
		// about many calls and connections, so without the MDC of the one at hand
		Map<String, String> context = MDC.getCopyOfContextMap();
		MDC.clear();
		try {
			this.logger.atLevel(this.level)
				.log("{} more lines about {} were not logged (at most {} are logged every {})", skipped, this.about,
						this.linesPerInterval, this.every);
		}
		finally {
			if (context != null) {
				MDC.setContextMap(context);
			}
		}
	}

}
