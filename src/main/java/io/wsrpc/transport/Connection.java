package io.wsrpc.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.wsrpc.WsrpcProperties;
import io.wsrpc.api.CallContext;
import io.wsrpc.dispatch.CallLimit;
import io.wsrpc.dispatch.LogText;
import io.wsrpc.protocol.Dialect;
import io.wsrpc.pubsub.EventEncoder;
import io.wsrpc.pubsub.EventFrame;
import io.wsrpc.pubsub.EventSink;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.SessionLimitExceededException;

/**
 * One open WebSocket connection. Sending is safe from any number of threads, never waits,
 * and is bounded: replies queue behind a send in progress up to a byte limit and a time
 * limit, and a client that reads too slowly to stay within them is disconnected with
 * 1008. Sending to a closed connection does nothing.
 * <p>
 * On Jetty, replies go straight to Jetty's own asynchronous send, which writes the
 * replies that queued up meanwhile in one go; the byte limit counts what Jetty has not
 * written yet, and so does the server's {@link MemoryBudget}: a reply that would wait
 * behind others while the server is over its budget disconnects the client as well.
 * {@link #stalled} reports a queue that made no progress within the time limit. On other
 * containers they go through Spring's {@link ConcurrentWebSocketSessionDecorator}, which
 * blocks the sender while a send is in progress.
 */
final class Connection implements EventSink {

	private static final Logger logger = LoggerFactory.getLogger(Connection.class);

	/** The most characters of a frame that a DEBUG line shows. */
	private static final int LOGGED_FRAME_LENGTH = 1000;

	static final CloseStatus TOO_SLOW = CloseStatus.POLICY_VIOLATION.withReason("Replies were not read fast enough");

	private final WebSocketSession session;

	private final @Nullable Session jetty;

	private final @Nullable WebSocketSession blocking;

	private final long sendBufferBytes;

	private final long sendTimeLimitNanos;

	private final AtomicLong queuedBytes = new AtomicLong();

	private final AtomicBoolean slow = new AtomicBoolean();

	private volatile long progressAt;

	private final Dialect dialect;

	private final CallLimit calls;

	private final String remoteAddress;

	private final String remoteHost;

	private final Runnable tooSlow;

	private final ScheduledExecutorService timers;

	private final Connections.Traffic sent;

	private final MemoryBudget memory;

	private volatile boolean ended;

	private final @Nullable MessageRateLimit rateLimit;

	private final CallContext context;

	private volatile long lastMessageAt;

	/** Whether the last message came right after the one before, as in a burst. */
	private volatile boolean burst;

	/** Messages received, counted by the one thread at a time that reads them. */
	private long messages;

	/** Jetty's session underneath, for replies sent in batch mode. */
	private final @Nullable CoreSession core;

	private final ReplyFlusher.@Nullable Pending flushes;

	private final long burstGapNanos;

	private volatile long lastPingAt;

	private volatile long unansweredPingAt;

	Connection(WebSocketSession session, Dialect dialect, WsrpcProperties properties, Runnable tooSlow,
			ScheduledExecutorService timers, Connections.Traffic sent, MemoryBudget memory,
			@Nullable ReplyFlusher flusher) {
		this.sent = sent;
		this.memory = memory;
		this.sendTimeLimitNanos = properties.sendTimeLimit().toNanos();
		this.sendBufferBytes = properties.sendBufferSize().toBytes();
		this.tooSlow = tooSlow;
		this.timers = timers;
		this.session = session;
		this.jetty = (session instanceof NativeWebSocketSession nativeSession
				&& nativeSession.getNativeSession() instanceof Session jettySession) ? jettySession : null;
		this.core = (this.jetty instanceof org.eclipse.jetty.websocket.common.WebSocketSession jettySession)
				? jettySession.getCoreSession() : null;
		this.burstGapNanos = properties.coalesceWindow().toNanos();
		this.flushes = (flusher != null && this.core != null) ? flusher.pending(this.core) : null;
		this.blocking = (this.core != null) ? null : new ConcurrentWebSocketSessionDecorator(session,
				(int) properties.sendTimeLimit().toMillis(), (int) Math.min(Integer.MAX_VALUE, this.sendBufferBytes));
		this.dialect = dialect;
		this.calls = new CallLimit(properties.maxInFlight());
		this.rateLimit = properties.rateLimit().enabled() ? new MessageRateLimit(properties.rateLimit()) : null;
		this.context = new CallContext(session.getPrincipal(), roles(session.getPrincipal()), session.getId(),
				endpoint(session.getUri()));
		this.lastMessageAt = System.nanoTime();
		this.lastPingAt = this.lastMessageAt;
		InetSocketAddress address = session.getRemoteAddress();
		this.remoteHost = (address != null) ? address.getAddress().getHostAddress() : "unknown";
		this.remoteAddress = (address != null) ? this.remoteHost + ":" + address.getPort() : "unknown";
	}

	/**
	 * Marks the connection closed, once the container has said so, and cancels its calls.
	 */
	void ended() {
		this.ended = true;
		this.calls.cancelAll();
	}

	CallContext context() {
		return this.context;
	}

	/**
	 * Notes a message from the client and takes it from the rate limit.
	 * @return 0 to go on, milliseconds to wait before retrying, or -1 to close
	 */
	long admit() {
		long now = System.nanoTime();
		// the first message follows the handshake, not another message
		this.burst = this.messages++ > 0 && now - this.lastMessageAt < this.burstGapNanos;
		this.lastMessageAt = now;
		return (this.rateLimit != null) ? this.rateLimit.admit() : 0;
	}

	/**
	 * Takes one more call of the message last admitted from the rate limit.
	 * @return 0 to go on, or milliseconds to wait before retrying
	 */
	long admitAnother() {
		return (this.rateLimit != null) ? this.rateLimit.admitAnother() : 0;
	}

	long lastMessageAt() {
		return this.lastMessageAt;
	}

	long lastPingAt() {
		return this.lastPingAt;
	}

	long unansweredPingAt() {
		return this.unansweredPingAt;
	}

	void pongReceived() {
		this.unansweredPingAt = 0;
	}

	/**
	 * Sends a ping without waiting, alongside any reply being sent.
	 * @param now when, from {@link System#nanoTime()}
	 */
	void ping(long now) {
		this.lastPingAt = now;
		if (this.unansweredPingAt == 0) {
			this.unansweredPingAt = now;
		}
		Session jettySession = this.jetty;
		if (jettySession != null && jettySession.isOpen()) {
			jettySession.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
		}
	}

	/**
	 * The URL a connection was opened at, as a {@code ws} or {@code wss} URL without its
	 * query, which may hold an API key.
	 */
	private static @Nullable URI endpoint(@Nullable URI handshake) {
		if (handshake == null || handshake.getRawAuthority() == null) {
			return null;
		}
		String scheme = ("https".equalsIgnoreCase(handshake.getScheme())
				|| "wss".equalsIgnoreCase(handshake.getScheme())) ? "wss" : "ws";
		return URI.create(scheme + "://" + handshake.getRawAuthority()
				+ ((handshake.getRawPath() != null) ? handshake.getRawPath() : ""));
	}

	private static Set<String> roles(@Nullable Principal principal) {
		if (!(principal instanceof Authentication authentication)) {
			return Set.of();
		}
		Set<String> roles = new HashSet<>();
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			// roles are the ROLE_ authorities; others, such as a JWT's SCOPE_ and the
			// FACTOR_ ones Spring Security adds to every login, are not
			String name = authority.getAuthority();
			if (name != null && name.startsWith("ROLE_")) {
				roles.add(name.substring(5));
			}
		}
		return roles;
	}

	@Override
	public boolean isOpen() {
		return !this.ended && this.session.isOpen();
	}

	@Override
	public EventEncoder encoder() {
		return EventFrames.of(this.dialect);
	}

	@Override
	public String id() {
		return this.session.getId();
	}

	Dialect dialect() {
		return this.dialect;
	}

	CallLimit calls() {
		return this.calls;
	}

	String remoteHost() {
		return this.remoteHost;
	}

	String remoteAddress() {
		return this.remoteAddress;
	}

	/**
	 * A frame as a DEBUG line shows it: control characters escaped, long frames cut off.
	 */
	static String loggable(String frame) {
		return LogText.printable(frame, LOGGED_FRAME_LENGTH);
	}

	@Override
	public void send(EventFrame frame) {
		CoreSession coreSession = this.core;
		if (coreSession == null) {
			send(frame.text());
			return;
		}
		if (!sendable(frame.text())) {
			return;
		}
		ByteBuffer payload = frame.bytes();
		long bytes = this.sent.count(payload.remaining());
		if (admitToQueue(bytes)) {
			// the bytes every subscriber shares, not a copy per connection
			sendFrame(coreSession, new Frame(OpCode.TEXT, true, payload), bytes, false);
		}
	}

	@Override
	public void send(String text) {
		if (!sendable(text)) {
			return;
		}
		CoreSession coreSession = this.core;
		if (coreSession != null) {
			sendAsync(coreSession, text);
			return;
		}
		try {
			Objects.requireNonNull(this.blocking).sendMessage(new TextMessage(text));
			this.sent.count(text);
		}
		catch (SessionLimitExceededException ex) {
			disconnectSlowReader(ex.getMessage());
		}
		catch (IOException | IllegalStateException ex) {
			logger.debug("Connection {} could not send: {}", id(), ex.toString());
		}
	}

	/**
	 * Whether a frame may be sent now: not to a slow reader being disconnected, nor to a
	 * closed connection. Logs the frame at DEBUG when it may.
	 */
	private boolean sendable(String text) {
		if (this.slow.get() || !this.session.isOpen()) {
			return false;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Connection {} sends {}", id(), loggable(text));
		}
		return true;
	}

	private void sendAsync(CoreSession coreSession, String text) {
		long bytes = this.sent.count(text);
		if (!admitToQueue(bytes)) {
			return;
		}
		ReplyFlusher.Pending flush = this.flushes;
		// more requests are likely behind this one in the same read: the replies leave
		// together, in one write when the flusher flushes
		boolean batch = flush != null && this.burst;
		sendFrame(coreSession, new Frame(OpCode.TEXT).setPayload(text), bytes, batch);
		if (batch) {
			flush.request();
		}
	}

	private void sendFrame(CoreSession coreSession, Frame frame, long bytes, boolean batch) {
		coreSession.sendFrame(frame,
				org.eclipse.jetty.util.Callback.from(() -> written(bytes), (failure) -> notWritten(bytes, failure)),
				batch);
	}

	/**
	 * Counts bytes about to be sent as queued, unless they would wait behind others over
	 * the send buffer or the memory budget; then disconnects the client as a slow reader.
	 * @param bytes the bytes
	 * @return whether to send them
	 */
	private boolean admitToQueue(long bytes) {
		long queued = this.queuedBytes.addAndGet(bytes);
		boolean fits = this.memory.take(bytes);
		if (queued == bytes) {
			this.progressAt = System.nanoTime();
		}
		else if (queued > this.sendBufferBytes || !fits) {
			// only a reply that would wait behind others is refused: one that goes
			// straight out is no backlog
			this.queuedBytes.addAndGet(-bytes);
			this.memory.give(bytes);
			disconnectSlowReader((queued > this.sendBufferBytes)
					? "more than " + this.sendBufferBytes + " bytes of replies are waiting to be sent"
					: "its replies are waiting while the server holds more than its memory budget of "
							+ this.memory.max() + " bytes");
			return false;
		}
		return true;
	}

	private void notWritten(long bytes, Throwable failure) {
		written(bytes);
		logger.debug("Connection {} could not send: {}", id(), failure.toString());
	}

	private void written(long bytes) {
		this.progressAt = System.nanoTime();
		this.queuedBytes.addAndGet(-bytes);
		this.memory.give(bytes);
	}

	/**
	 * Whether replies have waited longer than the send time limit without any of them
	 * being written; if so, disconnects the client as a slow reader.
	 * @param now the time, from {@link System#nanoTime()}
	 * @return whether the connection was found stalled
	 */
	boolean stalled(long now) {
		if (this.queuedBytes.get() == 0 || now - this.progressAt <= this.sendTimeLimitNanos) {
			return false;
		}
		disconnectSlowReader("no reply could be written for " + Duration.ofNanos(this.sendTimeLimitNanos));
		return true;
	}

	private void disconnectSlowReader(String reason) {
		if (!this.slow.compareAndSet(false, true)) {
			return;
		}
		logger.info("Connection {} from {} reads too slowly: {}", id(), remoteAddress(), reason);
		this.tooSlow.run();
		// Spring's decorator would turn any close into 4500 now; the client is owed 1008
		closeRaw(TOO_SLOW);
	}

	void close(CloseStatus status) {
		try {
			this.session.close(status);
		}
		catch (IOException | IllegalStateException ex) {
			logger.debug("Connection {} did not close cleanly: {}", id(), ex.toString());
		}
	}

	/**
	 * Closes with the given status without waiting, and drops the TCP connection if the
	 * closing handshake is not done a second later: a client that does not read never
	 * takes the close frame, and one that ignores it never answers it; either would
	 * otherwise hold the connection, and a thread blocked sending to it, for as long as
	 * its TCP connection lives.
	 * @param status the close status
	 */
	void closeRaw(CloseStatus status) {
		Session jettySession = this.jetty;
		if (jettySession != null) {
			jettySession.close(status.getCode(), status.getReason(), Callback.NOOP);
			this.timers.schedule(() -> {
				if (!this.ended) {
					jettySession.disconnect();
				}
			}, 1, TimeUnit.SECONDS);
		}
		else {
			close(status);
		}
	}

}
