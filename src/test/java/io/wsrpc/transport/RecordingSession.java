package io.wsrpc.transport;

import java.net.HttpCookie;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.ExtensionConfig;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.UpgradeRequest;
import org.eclipse.jetty.websocket.api.UpgradeResponse;
import org.eclipse.jetty.websocket.api.exceptions.WebSocketTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A Jetty WebSocket session without a network, for Spring's Jetty adapter to wrap as it
 * wraps Jetty's own. It keeps every text message the server sends, in the order Jetty
 * would write them, and completes each send's callback once the message is "written":
 * before {@link #sendText} returns when nothing is waiting and the message has an even
 * length, as when Jetty writes it at once; otherwise later, on the writer, as when the
 * socket is busy. Sends after a close fail their callbacks, as Jetty's do. Thread-safe.
 */
final class RecordingSession implements Session {

	private final String path;

	private final Executor writer;

	private final List<String> written = new ArrayList<>();

	private int unwritten;

	private volatile @Nullable String closed;

	/**
	 * @param path the path the client connected to
	 * @param writer where messages that are not written at once are written later, one at
	 * a time
	 */
	RecordingSession(String path, Executor writer) {
		this.path = path;
		this.writer = writer;
	}

	/**
	 * Takes every message written so far.
	 * @return the messages, oldest first
	 */
	synchronized List<String> takeWritten() {
		List<String> messages = new ArrayList<>(this.written);
		this.written.clear();
		return messages;
	}

	/**
	 * How many messages the server has sent whose callbacks have not completed yet.
	 * @return the count
	 */
	synchronized int unwritten() {
		return this.unwritten;
	}

	/**
	 * How the server closed the session.
	 * @return the close code and reason, or {@code null} while the session is open
	 */
	@Nullable String closed() {
		return this.closed;
	}

	@Override
	public void sendText(String text, Callback callback) {
		if (!isOpen()) {
			callback.fail(new ClosedChannelException());
			return;
		}
		synchronized (this) {
			if (this.unwritten == 0 && text.length() % 2 == 0) {
				this.written.add(text);
			}
			else {
				this.unwritten++;
				this.writer.execute(() -> write(text, callback));
				return;
			}
		}
		callback.succeed();
	}

	private void write(String text, Callback callback) {
		synchronized (this) {
			this.written.add(text);
		}
		try {
			callback.succeed();
		}
		finally {
			synchronized (this) {
				this.unwritten--;
			}
		}
	}

	@Override
	public void sendPartialText(String text, boolean last, Callback callback) {
		throw new IllegalStateException("The server sent a partial text message");
	}

	@Override
	public void sendBinary(ByteBuffer buffer, Callback callback) {
		throw new IllegalStateException("The server sent a binary message");
	}

	@Override
	public void sendPartialBinary(ByteBuffer buffer, boolean last, Callback callback) {
		throw new IllegalStateException("The server sent a partial binary message");
	}

	@Override
	public void sendPing(ByteBuffer applicationData, Callback callback) {
		callback.succeed();
	}

	@Override
	public void sendPong(ByteBuffer applicationData, Callback callback) {
		callback.succeed();
	}

	@Override
	public void demand() {
	}

	@Override
	public void close(int statusCode, @Nullable String reason, Callback callback) {
		this.closed = statusCode + ((reason != null) ? " (" + reason + ")" : "");
		callback.succeed();
	}

	@Override
	public void disconnect() {
		if (this.closed == null) {
			this.closed = "disconnected";
		}
	}

	@Override
	public boolean isOpen() {
		return this.closed == null;
	}

	@Override
	public SocketAddress getLocalSocketAddress() {
		return new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
	}

	@Override
	public SocketAddress getRemoteSocketAddress() {
		return new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);
	}

	@Override
	public String getProtocolVersion() {
		return "13";
	}

	@Override
	public UpgradeRequest getUpgradeRequest() {
		return new Handshake(this.path);
	}

	@Override
	public UpgradeResponse getUpgradeResponse() {
		return new Handshake(this.path);
	}

	@Override
	public boolean isSecure() {
		return false;
	}

	@Override
	public void addIdleTimeoutListener(Predicate<WebSocketTimeoutException> onIdleTimeout) {
	}

	@Override
	public Duration getIdleTimeout() {
		return Duration.ZERO;
	}

	@Override
	public void setIdleTimeout(Duration duration) {
	}

	@Override
	public int getInputBufferSize() {
		return 4096;
	}

	@Override
	public void setInputBufferSize(int size) {
	}

	@Override
	public int getOutputBufferSize() {
		return 4096;
	}

	@Override
	public void setOutputBufferSize(int size) {
	}

	@Override
	public long getMaxBinaryMessageSize() {
		return Long.MAX_VALUE;
	}

	@Override
	public void setMaxBinaryMessageSize(long size) {
	}

	@Override
	public long getMaxTextMessageSize() {
		return Long.MAX_VALUE;
	}

	@Override
	public void setMaxTextMessageSize(long size) {
	}

	@Override
	public long getMaxFrameSize() {
		return Long.MAX_VALUE;
	}

	@Override
	public void setMaxFrameSize(long maxFrameSize) {
	}

	@Override
	public boolean isAutoFragment() {
		return true;
	}

	@Override
	public void setAutoFragment(boolean autoFragment) {
	}

	@Override
	public int getMaxOutgoingFrames() {
		return -1;
	}

	@Override
	public void setMaxOutgoingFrames(int maxOutgoingFrames) {
	}

	/**
	 * The handshake of a client such as a command-line tool: no headers, cookies,
	 * subprotocol, extensions or user.
	 */
	private record Handshake(String path) implements UpgradeRequest, UpgradeResponse {

		@Override
		public List<HttpCookie> getCookies() {
			return List.of();
		}

		@Override
		public List<ExtensionConfig> getExtensions() {
			return List.of();
		}

		@Override
		public @Nullable String getHeader(String name) {
			return null;
		}

		@Override
		public int getHeaderInt(String name) {
			return -1;
		}

		@Override
		public Map<String, List<String>> getHeaders() {
			return Map.of();
		}

		@Override
		public List<String> getHeaders(String name) {
			return List.of();
		}

		@Override
		public Set<String> getHeaderNames() {
			return Set.of();
		}

		@Override
		public String getHost() {
			return "localhost";
		}

		@Override
		public String getHttpVersion() {
			return "HTTP/1.1";
		}

		@Override
		public String getMethod() {
			return "GET";
		}

		@Override
		public @Nullable String getOrigin() {
			return null;
		}

		@Override
		public Map<String, List<String>> getParameterMap() {
			return Map.of();
		}

		@Override
		public String getProtocolVersion() {
			return "13";
		}

		@Override
		public @Nullable String getQueryString() {
			return null;
		}

		@Override
		public URI getRequestURI() {
			return URI.create("ws://localhost:8080" + this.path);
		}

		@Override
		public List<String> getSubProtocols() {
			return List.of();
		}

		@Override
		public @Nullable Principal getUserPrincipal() {
			return null;
		}

		@Override
		public boolean hasSubProtocol(String subprotocol) {
			return false;
		}

		@Override
		public boolean isSecure() {
			return false;
		}

		@Override
		public @Nullable String getAcceptedSubProtocol() {
			return null;
		}

		@Override
		public int getStatusCode() {
			return 101;
		}

	}

}
