package io.wsrpc.transport;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.wsrpc.dispatch.Call;
import io.wsrpc.dispatch.Dispatcher;
import io.wsrpc.dispatch.LogLimit;
import io.wsrpc.dispatch.LogText;
import io.wsrpc.protocol.Dialect;
import io.wsrpc.protocol.ErrorCode;
import io.wsrpc.protocol.Outcome;
import io.wsrpc.protocol.RpcError;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * What both endpoints share: keeping track of connections, logging them, and turning each
 * text message over to the dialect. Binary messages close the connection with 1003, as
 * {@link TextWebSocketHandler} does.
 */
abstract class RpcWebSocketHandler extends TextWebSocketHandler {

	private static final Logger logger = LoggerFactory.getLogger(RpcWebSocketHandler.class);

	static final CloseStatus FLOODING = CloseStatus.POLICY_VIOLATION.withReason("Rate limit exceeded, repeatedly");

	private final Connections connections;

	private final Dialect dialect;

	private final Dispatcher dispatcher;

	private final Connections.Traffic received;

	final MemoryBudget memory;

	// a client reconnecting in a loop, or sending garbage, cannot flood the log
	private final LogLimit connectionLog = new LogLimit(logger, Level.INFO, "connections opened and closed", 20,
			Dispatcher.LOG_INTERVAL);

	private final LogLimit rejectedLog = new LogLimit(logger, Level.INFO, "rejected messages", 10,
			Dispatcher.LOG_INTERVAL);

	RpcWebSocketHandler(Connections connections, Dialect dialect, Dispatcher dispatcher) {
		this.connections = connections;
		this.dialect = dialect;
		this.dispatcher = dispatcher;
		this.received = connections.traffic(dialect, "in");
		this.memory = connections.memory();
		connections.timers().scheduleWithFixedDelay(this::flushLogLimits, 1, 1, TimeUnit.SECONDS);
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		Connection connection = this.connections.add(session, this.dialect);
		if (this.connectionLog.permits()) {
			logger.info("Connection {} opened from {} on /{} ({} open)", connection.id(), connection.remoteAddress(),
					this.dialect.tag(), this.connections.count());
		}
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		Connection connection = this.connections.get(session);
		if (connection == null) {
			return;
		}
		String text = message.getPayload();
		long bytes = this.received.count(text);
		if (logger.isDebugEnabled()) {
			logger.debug("Connection {} received {}", connection.id(), Connection.loggable(text));
		}
		long admission = connection.admit();
		if (admission < 0) {
			if (this.connectionLog.permits()) {
				logger.info("Connection {} from {} kept sending past its rate limit", connection.id(),
						connection.remoteAddress());
			}
			connection.close(FLOODING);
			return;
		}
		Outcome.@Nullable Failure refusal = (admission > 0) ? rateLimited(admission) : null;
		MemoryBudget.@Nullable Hold hold = this.memory.tryHold(bytes);
		if (hold == null) {
			hold = this.memory.nothing();
			if (refusal == null) {
				refusal = Outcome.Failure.of(ErrorCode.OVERLOADED, "The server holds more than " + this.memory.max()
						+ " bytes for calls in flight and unsent replies; retry later.");
			}
		}
		try (MDC.MDCCloseable id = MDC.putCloseable(Dispatcher.CONNECTION_KEY, connection.id())) {
			receive(connection, text, refusal, hold);
		}
		catch (RuntimeException ex) {
			hold.release();
			throw ex;
		}
	}

	@Override
	protected void handlePongMessage(WebSocketSession session, PongMessage message) {
		Connection connection = this.connections.get(session);
		if (connection != null) {
			connection.pongReceived();
		}
	}

	/**
	 * Runs a call, or refuses it when the message was over the rate limit.
	 * @param connection where it came from
	 * @param call the call
	 * @param refusal the error for every call of a message over the rate limit, or
	 * {@code null}
	 * @param reply receives the outcome
	 */
	void run(Connection connection, Call call, Outcome.@Nullable Failure refusal, Consumer<Outcome> reply) {
		if (refusal != null) {
			this.dispatcher.refuse(call, refusal, reply);
		}
		else {
			this.dispatcher.dispatch(call, connection.calls(), reply);
		}
	}

	static Outcome.Failure rateLimited(long retryAfterMillis) {
		return new Outcome.Failure(RpcError.of(ErrorCode.RATE_LIMITED,
				"This connection is sending faster than its rate limit; retry after " + retryAfterMillis + " ms.",
				Map.of("retry_after_ms", retryAfterMillis)));
	}

	/**
	 * Handles one text message; must not wait for any call to finish.
	 * @param connection where it came from
	 * @param text the whole message
	 * @param refusal the error every call in the message gets instead of running, when
	 * the message was over the rate limit or the memory budget; {@code null} otherwise
	 * @param hold the message's bytes in the memory budget, to release once every call in
	 * it is answered (before the reply is sent, which takes its own bytes)
	 */
	abstract void receive(Connection connection, String text, Outcome.@Nullable Failure refusal,
			MemoryBudget.Hold hold);

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		logger.debug("Connection {} failed: {}", session.getId(), exception.toString());
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		Connection connection = this.connections.remove(session, status);
		if (connection != null && this.connectionLog.permits()) {
			logger.info("Connection {} from {} closed with {}{} ({} open)", connection.id(), connection.remoteAddress(),
					status.getCode(),
					(status.getReason() != null) ? " (" + LogText.printable(status.getReason()) + ")" : "",
					this.connections.count());
		}
	}

	void logRejected(Connection connection, String code) {
		if (this.rejectedLog.permits()) {
			logger.info("Connection {} sent a message that was rejected with {}", connection.id(), code);
		}
	}

	private void flushLogLimits() {
		this.connectionLog.flush();
		this.rejectedLog.flush();
	}

}
