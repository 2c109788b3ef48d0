package io.wsrpc;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the server, bound from {@code wsrpc.*}. The configuration table in
 * {@code docs/configuration.md} is checked against these defaults by a test.
 *
 * @param maxInFlight calls that one connection may have running at once; a call beyond
 * this gets an overloaded error at once
 * @param maxInFlightTotal calls the server may have running at once, on every connection
 * together; a call beyond this gets an overloaded error at once. The last quarter is held
 * back for connections with fewer than an eighth of {@code maxInFlight} calls running, so
 * that clients filling their own limits cannot starve a light one. The default matches
 * the JDK 17 task pool's 512 threads
 * @param callTimeout how long a call may run before its caller gets a timeout error and
 * its result is dropped
 * @param maxMessageSize the largest text message a client may send; a larger one closes
 * the connection with 1009
 * @param maxBatchSize the most requests one JSON-RPC batch may hold; a larger batch gets
 * a single invalid request error
 * @param maxConnections connections the server holds at most, over both endpoints; a
 * handshake beyond this gets HTTP 503
 * @param maxConnectionsPerAddress connections one remote address may hold at once; a
 * handshake beyond this gets HTTP 429 (0 for no limit)
 * @param allowedOrigins origins (patterns such as https://*.example.com) whose browser
 * pages may connect, besides the server's own; clients that send no Origin are always
 * allowed
 * @param idleTimeout how long a connection that holds no subscription may go without a
 * message from the client before the server closes it with 1001 (0 for never)
 * @param pingInterval how often the server pings each connection (0 for never)
 * @param pongTimeout how long the server waits for the pong to a ping before closing the
 * connection with 1001
 * @param sendTimeLimit how long sending one reply may take before the connection is
 * closed with 1008 as a reader too slow to keep
 * @param sendBufferSize how many bytes of replies may wait for a slow reader before the
 * connection is closed with 1008
 * @param memoryBudget how many bytes the server may hold for its clients at once: the
 * text of messages whose calls are not all answered yet, plus replies waiting to be sent.
 * A message that does not fit gets {@code overloaded} for every call in it; a reply that
 * would wait behind others and does not fit closes its connection with 1008. Unset: a
 * fortieth of the JVM's max heap
 * @param permessageDeflate whether to accept the {@code permessage-deflate} extension
 * (compression, RFC 7692) when a client offers it
 * @param coalesceWindow a message that arrives within this time of the one before on the
 * same connection is taken to be part of a burst, and the replies of a burst leave
 * together in one write, flushed by a thread of their own, rather than one write each (0
 * to write every reply on its own)
 * @param shutdownTimeout how long a shutdown waits for calls in flight to finish and send
 * their replies before closing every connection with 1001
 * @param rateLimit how many messages one connection may send
 * @param security who may connect and call
 * @param pubsub topics and their subscribers
 * @param broker how events reach subscribers: memory (this instance only) or redis (every
 * instance, through Redis pub/sub)
 * @param demo the built-in demo methods
 */
@ConfigurationProperties("wsrpc")
@Validated
public record WsrpcProperties(@DefaultValue("128") @Positive int maxInFlight,
		@DefaultValue("512") @Positive int maxInFlightTotal, @DefaultValue("30s") Duration callTimeout,
		@DefaultValue("1MB") DataSize maxMessageSize, @DefaultValue("1000") @Positive int maxBatchSize,
		@DefaultValue("19500") @Positive int maxConnections,
		@DefaultValue("0") @PositiveOrZero int maxConnectionsPerAddress, @DefaultValue List<String> allowedOrigins,
		@DefaultValue("5m") Duration idleTimeout, @DefaultValue("25s") Duration pingInterval,
		@DefaultValue("10s") Duration pongTimeout, @DefaultValue("10s") Duration sendTimeLimit,
		@DefaultValue("1MB") DataSize sendBufferSize, @Nullable DataSize memoryBudget,
		@DefaultValue("false") boolean permessageDeflate, @DefaultValue("25us") Duration coalesceWindow,
		@DefaultValue("30s") Duration shutdownTimeout, @DefaultValue @Valid RateLimit rateLimit,
		@DefaultValue @Valid Security security, @DefaultValue @Valid PubSub pubsub,
		@DefaultValue("memory") BrokerKind broker, @DefaultValue @Valid Demo demo) {

	/**
	 * The share of the max heap that {@link #memoryBudget} is when unset: a fortieth.
	 */
	private static final int MEMORY_BUDGET_HEAP_DIVISOR = 40;

	/**
	 * The memory budget in bytes: {@link #memoryBudget} if set, otherwise a fortieth of
	 * the JVM's max heap.
	 * @return the budget
	 */
	public long memoryBudgetBytes() {
		return (this.memoryBudget != null) ? this.memoryBudget.toBytes()
				: Runtime.getRuntime().maxMemory() / MEMORY_BUDGET_HEAP_DIVISOR;
	}

	/**
	 * How many messages one connection may send: a token bucket of {@code burst} messages
	 * that refills at {@code messagesPerSecond}.
	 *
	 * @param enabled whether messages are rate-limited at all
	 * @param messagesPerSecond the steady rate a connection may send at
	 * @param burst how many messages a connection may send at once above the steady rate
	 * @param closeAfter rate-limited messages within one second after which the
	 * connection is closed with 1008
	 */
	public record RateLimit(@DefaultValue("true") boolean enabled,
			@DefaultValue("10000") @Positive int messagesPerSecond, @DefaultValue("20000") @Positive int burst,
			@DefaultValue("1000") @Positive int closeAfter) {
	}

	/**
	 * Who may connect and call.
	 *
	 * @param enabled whether a handshake needs a valid API key (bearer token)
	 * @param apiKeys the keys that open a connection
	 * @param actuatorAllowedAddresses addresses (IPs or CIDR ranges) whose TCP
	 * connections may read the actuator beyond health and info while security is off;
	 * checked against the socket's peer, never a forwarded header; empty for none
	 */
	public record Security(@DefaultValue("false") boolean enabled, @DefaultValue List<@Valid ApiKey> apiKeys,
			@DefaultValue( {
					"127.0.0.0/8", "::1" }) List<String> actuatorAllowedAddresses){
	}

	/**
	 * How events reach subscribers.
	 */
	public enum BrokerKind {

		/** This instance only; nothing to install. */
		MEMORY,

		/** Every instance, through Redis pub/sub. */
		REDIS

	}

	/**
	 * Topics and their subscribers.
	 *
	 * @param maxSubscriptions subscriptions one connection may hold at once
	 * @param subscribeRoles roles a caller needs to subscribe, any one; empty for anyone
	 * @param publishRoles roles a caller needs to publish, any one; empty for anyone
	 * @param historySize how many of each topic's latest events are kept for clients that
	 * resubscribe with {@code since} (0: none)
	 * @param historyTtl how long each event is kept in history
	 * @param historyMemory how much event data the history of every topic together may
	 * hold with the memory broker; beyond it a topic's oldest events are dropped first
	 * @param rules roles and history per topic pattern, which replace the settings above
	 * for the topics they match; the first matching rule applies
	 */
	public record PubSub(@DefaultValue("100") @Positive int maxSubscriptions, @DefaultValue List<String> subscribeRoles,
			@DefaultValue List<String> publishRoles, @DefaultValue("100") @PositiveOrZero int historySize,
			@DefaultValue("5m") Duration historyTtl, @DefaultValue("64MB") DataSize historyMemory,
			@DefaultValue List<@Valid TopicRule> rules) {
	}

	/**
	 * Who may subscribe and publish to the topics a pattern matches.
	 *
	 * @param pattern a topic, or a prefix ending in .* for every topic below it
	 * @param subscribeRoles roles a caller needs to subscribe, any one; empty for anyone
	 * @param publishRoles roles a caller needs to publish, any one; empty for anyone
	 * @param historySize how many of the latest events of each matching topic are kept;
	 * unset: {@code wsrpc.pubsub.history-size}
	 * @param historyTtl how long they are kept; unset: {@code wsrpc.pubsub.history-ttl}
	 */
	public record TopicRule(@NotBlank String pattern, @DefaultValue List<String> subscribeRoles,
			@DefaultValue List<String> publishRoles, @Nullable @PositiveOrZero Integer historySize,
			@Nullable Duration historyTtl) {
	}

	/**
	 * One static API key.
	 *
	 * @param name who the key belongs to; the principal's name in methods and logs
	 * @param sha256 the SHA-256 of the key, in hex, so the key itself is stored nowhere
	 * @param roles the roles the key grants, such as admin
	 */
	public record ApiKey(@NotBlank String name, @Pattern(regexp = "[0-9a-fA-F]{64}") String sha256,
			@DefaultValue List<String> roles) {
	}

	/**
	 * The built-in demo methods.
	 *
	 * @param enabled whether the demo methods are published
	 */
	public record Demo(@DefaultValue("true") boolean enabled) {
	}

}
