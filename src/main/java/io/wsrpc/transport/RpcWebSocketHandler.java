package io.wsrpc.transport;

import io.wsrpc.protocol.Dialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.socket.CloseStatus;
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

	private final Connections connections;

	private final Dialect dialect;

	RpcWebSocketHandler(Connections connections, Dialect dialect) {
		this.connections = connections;
		this.dialect = dialect;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		Connection connection = this.connections.add(session, this.dialect);
		logger.info("Connection {} opened from {} on /{} ({} open)", connection.id(), connection.remoteAddress(),
				this.dialect.tag(), this.connections.count());
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		Connection connection = this.connections.get(session);
		if (connection == null) {
			return;
		}
		String text = message.getPayload();
		if (logger.isDebugEnabled()) {
			logger.debug("Connection {} received {}", connection.id(), text);
		}
		receive(connection, text);
	}

	/**
	 * Handles one text message; must not wait for any call to finish.
	 * @param connection where it came from
	 * @param text the whole message
	 */
	abstract void receive(Connection connection, String text);

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		logger.debug("Connection {} failed: {}", session.getId(), exception.toString());
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		Connection connection = this.connections.remove(session, status);
		if (connection != null) {
			logger.info("Connection {} from {} closed with {}{} ({} open)", connection.id(), connection.remoteAddress(),
					status.getCode(), (status.getReason() != null) ? " (" + status.getReason() + ")" : "",
					this.connections.count());
		}
	}

	static void logRejected(Connection connection, String code) {
		logger.info("Connection {} sent a message that was rejected with {}", connection.id(), code);
	}

}
