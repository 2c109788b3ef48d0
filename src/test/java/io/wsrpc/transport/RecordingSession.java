package io.wsrpc.transport;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * A WebSocket session without a network: it keeps every text message the server sends, in
 * order, and stays open until the server closes it. Thread-safe.
 */
final class RecordingSession implements WebSocketSession {

	private final String id;

	private final BlockingQueue<String> sent = new LinkedBlockingQueue<>();

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	private volatile @Nullable CloseStatus closeStatus;

	RecordingSession(String id) {
		this.id = id;
	}

	/**
	 * Takes every message sent so far.
	 * @return the messages, oldest first
	 */
	List<String> takeSent() {
		List<String> messages = new ArrayList<>();
		this.sent.drainTo(messages);
		return messages;
	}

	@Override
	public void sendMessage(WebSocketMessage<?> message) {
		if (!(message instanceof TextMessage text)) {
			throw new IllegalArgumentException("The server sent a " + message.getClass().getSimpleName());
		}
		this.sent.add(text.getPayload());
	}

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public @Nullable URI getUri() {
		return null;
	}

	@Override
	public HttpHeaders getHandshakeHeaders() {
		return new HttpHeaders();
	}

	@Override
	public Map<String, Object> getAttributes() {
		return this.attributes;
	}

	@Override
	public @Nullable Principal getPrincipal() {
		return null;
	}

	@Override
	public @Nullable InetSocketAddress getLocalAddress() {
		return null;
	}

	@Override
	public @Nullable InetSocketAddress getRemoteAddress() {
		return null;
	}

	@Override
	public @Nullable String getAcceptedProtocol() {
		return null;
	}

	@Override
	public void setTextMessageSizeLimit(int messageSizeLimit) {
	}

	@Override
	public int getTextMessageSizeLimit() {
		return Integer.MAX_VALUE;
	}

	@Override
	public void setBinaryMessageSizeLimit(int messageSizeLimit) {
	}

	@Override
	public int getBinaryMessageSizeLimit() {
		return Integer.MAX_VALUE;
	}

	@Override
	public List<WebSocketExtension> getExtensions() {
		return List.of();
	}

	/**
	 * How the server closed the session.
	 * @return the status, or {@code null} while the session is open
	 */
	@Nullable CloseStatus closeStatus() {
		return this.closeStatus;
	}

	@Override
	public boolean isOpen() {
		return this.closeStatus == null;
	}

	@Override
	public void close() {
		close(CloseStatus.NORMAL);
	}

	@Override
	public void close(CloseStatus status) {
		this.closeStatus = status;
	}

}
