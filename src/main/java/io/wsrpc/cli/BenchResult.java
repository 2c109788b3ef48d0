package io.wsrpc.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a bench run measured; written as text or, with {@code --json}, as this record.
 *
 * @param method the method called
 * @param connections connections used
 * @param inFlight calls kept in flight per connection
 * @param seconds the length of the measured window
 * @param ok replies that were correct results
 * @param errors error replies
 * @param wrong results that differed from the expected one
 * @param lost requests that got no reply
 * @param duplicate replies to requests already answered, or to no request
 * @param failedConnections connections that could not be opened
 * @param droppedConnections connections that closed during the run
 * @param held connections still open at the end of the run
 * @param callsPerSecond replies received per second in the measured window
 * @param latency round-trip latency of measured calls, in milliseconds
 */
@JsonPropertyOrder({ "method", "connections", "in_flight", "seconds", "ok", "errors", "wrong", "lost", "duplicate",
		"failed_connections", "dropped_connections", "held", "calls_per_second", "latency_ms" })
record BenchResult(String method, int connections, @JsonProperty("in_flight") int inFlight, double seconds, long ok,
		long errors, long wrong, long lost, long duplicate, @JsonProperty("failed_connections") long failedConnections,
		@JsonProperty("dropped_connections") long droppedConnections, long held,
		@JsonProperty("calls_per_second") double callsPerSecond, @JsonProperty("latency_ms") Latency latency) {

	/**
	 * Whether every call was answered once, correctly.
	 * @return {@code true} for a clean run
	 */
	boolean clean() {
		return this.ok > 0 && this.errors == 0 && this.wrong == 0 && this.lost == 0 && this.duplicate == 0
				&& this.failedConnections == 0 && this.droppedConnections == 0;
	}

	/**
	 * Latency percentiles, in milliseconds.
	 *
	 * @param p50 the median
	 * @param p90 the 90th percentile
	 * @param p99 the 99th percentile
	 * @param p999 the 99.9th percentile
	 * @param max the slowest call
	 */
	@JsonPropertyOrder({ "p50", "p90", "p99", "p99_9", "max" })
	record Latency(double p50, double p90, double p99, @JsonProperty("p99_9") double p999, double max) {
	}

}
