package io.wsrpc;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the server, bound from {@code wsrpc.*}. The README's configuration
 * table is checked against these defaults by a test.
 *
 * @param maxInFlight calls that one connection may have running at once; a call beyond
 * this gets an overloaded error at once
 * @param callTimeout how long a call may run before its caller gets a timeout error and
 * its result is dropped
 * @param maxMessageSize the largest text message a client may send; a larger one closes
 * the connection with 1009
 * @param maxBatchSize the most requests one JSON-RPC batch may hold; a larger batch gets
 * a single invalid request error
 * @param idleTimeout how long a connection may go without any frame in either direction
 * before the server closes it
 * @param sendTimeLimit how long sending one reply may take before the connection is
 * closed with 1008 as a reader too slow to keep
 * @param sendBufferSize how many bytes of replies may wait for a slow reader before the
 * connection is closed with 1008
 * @param shutdownTimeout how long a shutdown waits for calls in flight to finish and send
 * their replies before closing every connection with 1001
 * @param demo the built-in demo methods
 */
@ConfigurationProperties("wsrpc")
@Validated
public record WsrpcProperties(@DefaultValue("128") @Positive int maxInFlight, @DefaultValue("30s") Duration callTimeout,
		@DefaultValue("1MB") DataSize maxMessageSize, @DefaultValue("1000") @Positive int maxBatchSize,
		@DefaultValue("5m") Duration idleTimeout, @DefaultValue("10s") Duration sendTimeLimit,
		@DefaultValue("1MB") DataSize sendBufferSize, @DefaultValue("30s") Duration shutdownTimeout,
		@DefaultValue @Valid Demo demo) {

	/**
	 * The built-in demo methods.
	 *
	 * @param enabled whether the demo methods are published
	 */
	public record Demo(@DefaultValue("true") boolean enabled) {
	}

}
