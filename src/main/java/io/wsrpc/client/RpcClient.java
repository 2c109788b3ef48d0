package io.wsrpc.client;

import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;

/**
 * A connection to a wsrpc server. Calls may be made from any thread and many may be in
 * flight at once; each completes with the reply carrying its request id. Every call ends:
 * with its result, with {@link RpcCallException} for an error reply, with
 * {@link RpcTimeoutException} after the call timeout, or with
 * {@link RpcConnectionException} when the connection is lost or closed. After a drop the
 * client reconnects as its {@link ReconnectPolicy} says, to the next of its URLs in turn;
 * calls made while it is disconnected fail at once. When the server says it is shutting
 * down (the {@code $server.draining} notice, or a close with 1001) the client moves to
 * the next URL at once, and its subscriptions resume there without losing or repeating an
 * event the server's history still holds.
 */
public final class RpcClient implements AutoCloseable {

	private final List<URI> uris;

	private final ClientOptions options;

	private final Frames frames;

	private final HttpClient http;

	private final ScheduledThreadPoolExecutor timers;

	private final AtomicLong ids = new AtomicLong();

	private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

	private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();

	private final Subscriptions subscriptions;

	private volatile @Nullable Link link;

	/**
	 * Connections the client has moved away from, which the server still drains; guarded
	 * by {@link #linkLock}.
	 */
	private final List<Link> retired = new CopyOnWriteArrayList<>();

	/**
	 * The index in {@link #uris} of the URL the next attempt goes to; guarded by
	 * {@link #linkLock}.
	 */
	private int nextUri;

	/** Lets one thread only find that a link was lost, and replace it. */
	private final Object linkLock = new Object();

	/** Whether attempts to reconnect are under way; one series at a time. */
	private final AtomicBoolean reconnecting = new AtomicBoolean();

	private volatile boolean closed;

	private RpcClient(List<URI> uris, ClientOptions options) {
		this.uris = uris;
		this.options = options;
		this.subscriptions = new Subscriptions(
				(topic) -> this.listeners.forEach((listener) -> listener.onRecoveryFailed(topic)));
		this.frames = new Frames(options.dialect());
		HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(options.connectTimeout());
		SSLContext sslContext = options.sslContext();
		if (sslContext != null) {
			http.sslContext(sslContext);
		}
		this.http = http.build();
		this.timers = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "wsrpc-client-timers");
			thread.setDaemon(true);
			return thread;
		});
		this.timers.setRemoveOnCancelPolicy(true);
	}

	/**
	 * Connects with the default options.
	 * @param uri the endpoint, such as {@code ws://localhost:8080/ws}
	 * @return the connected client
	 * @throws RpcConnectionException if the connection cannot be opened
	 */
	public static RpcClient connect(URI uri) {
		return connect(uri, ClientOptions.defaults());
	}

	/**
	 * Connects.
	 * @param uri the endpoint, such as {@code ws://localhost:8080/ws}
	 * @param options how to connect and call
	 * @return the connected client
	 * @throws RpcConnectionException if the connection cannot be opened
	 */
	public static RpcClient connect(URI uri, ClientOptions options) {
		return connect(List.of(uri), options);
	}

	/**
	 * Connects to the first of several servers that accepts, trying them in order. Each
	 * reconnect goes to the next URL in the list, round-robin: after a drop with the
	 * reconnect policy's delay; when the server says it is shutting down, at once.
	 * @param uris the endpoints of interchangeable servers, all of one dialect
	 * @param options how to connect and call
	 * @return the connected client
	 * @throws RpcConnectionException if no connection can be opened
	 */
	public static RpcClient connect(List<URI> uris, ClientOptions options) {
		if (uris.isEmpty()) {
			throw new IllegalArgumentException("At least one URL is needed");
		}
		for (URI uri : uris) {
			String scheme = uri.getScheme();
			if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
				throw new IllegalArgumentException("The URL must start with ws:// or wss://, not '" + uri + "'");
			}
		}
		RpcClient client = new RpcClient(List.copyOf(uris), options);
		StringBuilder failures = new StringBuilder();
		for (int i = 0; i < uris.size() && client.link == null; i++) {
			URI uri = uris.get(i);
			try {
				client.link = client.open(uri).get(options.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
				client.nextUri = (i + 1) % uris.size();
			}
			catch (ExecutionException | TimeoutException ex) {
				failures.append((failures.length() > 0) ? "; " : "").append(uri).append(": ").append(describe(ex));
				if (i == uris.size() - 1) {
					client.shutDown();
					throw new RpcConnectionException("Cannot connect to " + failures, ex);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				client.shutDown();
				throw new RpcConnectionException("Interrupted while connecting to " + uri, ex);
			}
		}
		Link connected = Objects.requireNonNull(client.link);
		client.listeners.forEach((listener) -> listener.onConnected(connected.uri(), false));
		client.lostIfClosedAlready(connected);
		return client;
	}

	/**
	 * Listens to connection events from now on.
	 * @param listener the listener
	 */
	public void addListener(ConnectionListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Whether the connection is open now.
	 * @return {@code true} if calls can be sent
	 */
	public boolean isConnected() {
		Link current = this.link;
		return current != null && !current.webSocket().isOutputClosed() && !this.closed;
	}

	/**
	 * Calls a method and returns the whole reply, successful or not.
	 * @param method the method's name
	 * @param params a value that Jackson writes as an object (named params) or an array
	 * (positional params), or {@code null} for none
	 * @return the reply; fails with {@link RpcTimeoutException} or
	 * {@link RpcConnectionException} when no reply comes. {@code cancel(true)} cancels
	 * the call on the server too, which interrupts its method.
	 */
	public CompletableFuture<Reply> request(String method, @Nullable Object params) {
		long id = this.ids.incrementAndGet();
		CompletableFuture<Reply> reply = new RemoteCall<>(() -> cancelOnServer(id));
		JsonNode paramsNode;
		try {
			paramsNode = (params != null) ? this.frames.mapper().valueToTree(params) : null;
		}
		catch (JacksonException ex) {
			reply.completeExceptionally(new IllegalArgumentException("The params cannot be written as JSON", ex));
			return reply;
		}
		if (paramsNode != null && !paramsNode.isObject() && !paramsNode.isArray()) {
			reply.completeExceptionally(new IllegalArgumentException(
					"Params must be written as a JSON object or array, not " + paramsNode.getNodeType()));
			return reply;
		}
		Link current = this.link;
		if (this.closed || current == null || current.webSocket().isOutputClosed()) {
			reply.completeExceptionally(new RpcConnectionException(
					this.closed ? "The client is closed" : "Not connected to " + describeUris() + "; reconnecting"));
			return reply;
		}
		long timeoutMillis = this.options.callTimeout().toMillis();
		ScheduledFuture<?> timer = this.timers.schedule(() -> {
			Pending expired = this.pending.remove(id);
			if (expired != null) {
				expired.reply()
					.completeExceptionally(new RpcTimeoutException(
							"No reply to '" + method + "' within " + timeoutMillis + " ms (request " + id + ")"));
			}
		}, timeoutMillis, TimeUnit.MILLISECONDS);
		this.pending.put(id, new Pending(reply, timer, current.webSocket()));
		current.sender().send(this.frames.request(id, method, paramsNode));
		return reply;
	}

	private void cancelOnServer(long id) {
		Pending call = this.pending.remove(id);
		Link current = this.link;
		if (call == null || current == null || this.closed) {
			return;
		}
		call.timer().cancel(false);
		current.sender().send(this.frames.cancel(this.ids.incrementAndGet(), id));
	}

	/**
	 * Calls a method.
	 * @param <T> the result type
	 * @param method the method's name
	 * @param params a value that Jackson writes as an object or an array, or {@code null}
	 * @param resultType what to read the result as
	 * @return the result; fails with {@link RpcCallException} for an error reply
	 */
	public <T> CompletableFuture<T> call(String method, @Nullable Object params, Class<T> resultType) {
		return call(method, params, (Type) resultType);
	}

	/**
	 * Calls a method whose result is of a generic type.
	 * @param <T> the result type
	 * @param method the method's name
	 * @param params a value that Jackson writes as an object or an array, or {@code null}
	 * @param resultType what to read the result as, such as a {@code ParameterizedType}
	 * @return the result; fails with {@link RpcCallException} for an error reply.
	 * {@code cancel(true)} cancels the call on the server too, which interrupts its
	 * method.
	 */
	public <T> CompletableFuture<T> call(String method, @Nullable Object params, Type resultType) {
		JavaType type = this.frames.mapper().constructType(resultType);
		CompletableFuture<Reply> request = request(method, params);
		RemoteCall<T> result = new RemoteCall<>(() -> request.cancel(true));
		request.whenComplete((reply, ex) -> {
			if (ex != null) {
				result.completeExceptionally(ex);
				return;
			}
			RemoteError error = reply.error();
			if (error != null) {
				result.completeExceptionally(new RpcCallException(error));
				return;
			}
			try {
				result.complete(this.frames.mapper().treeToValue(reply.result(), type));
			}
			catch (RuntimeException readFailure) {
				result.completeExceptionally(readFailure);
			}
		});
		return result;
	}

	/**
	 * Subscribes to a topic, or with {@code prefix.*} to every topic below a prefix.
	 * Events go to {@code onEvent} on the client's receiving thread, one at a time; keep
	 * it short. The subscription is renewed after every reconnect. For an exact topic the
	 * client remembers the epoch and the offset of the last event it passed on, renews
	 * with {@code since}, and passes on each event once, in offset order: the events
	 * published while it was away arrive from the server's history, or, when the history
	 * no longer holds them all, {@link ConnectionListener#onRecoveryFailed} is told. A
	 * wildcard subscription misses what was published while the client was away.
	 * Subscribing again to a topic only replaces its consumer.
	 * @param topic the topic or pattern
	 * @param onEvent receives each event
	 * @return completes when the server has subscribed the connection, with whether the
	 * subscription is new and, for an exact topic, its offset and epoch
	 */
	public CompletableFuture<Subscription> subscribe(String topic, Consumer<Frames.Event> onEvent) {
		return send(this.subscriptions.add(topic, onEvent), true);
	}

	private CompletableFuture<Subscription> send(Subscriptions.Renewal renewal, boolean asked) {
		CompletableFuture<Subscription> subscribed = new CompletableFuture<>();
		call("subscribe", renewal.params(), JsonNode.class).whenComplete((reply, ex) -> {
			if (ex == null) {
				subscribed.complete(this.subscriptions.replied(renewal, reply));
				return;
			}
			Throwable cause = unwrap(ex);
			this.subscriptions.failed(renewal, cause instanceof RpcConnectionException,
					asked && cause instanceof RpcCallException);
			subscribed.completeExceptionally(cause);
		});
		return subscribed;
	}

	/**
	 * Ends a subscription.
	 * @param topic the topic or pattern as subscribed
	 * @return completes when the server has unsubscribed the connection
	 */
	public CompletableFuture<Boolean> unsubscribe(String topic) {
		this.subscriptions.remove(topic);
		return call("unsubscribe", Map.of("topic", topic), Boolean.class);
	}

	/**
	 * Creates a typed proxy: each method of the interface calls the remote method named
	 * by its {@code @RpcMethod} annotation, or by its own name, with params by parameter
	 * name (positional when the interface was compiled without {@code -parameters}).
	 * Methods returning {@code CompletableFuture} or {@code CompletionStage} stay
	 * asynchronous; others wait for the reply and throw {@link RpcClientException}s
	 * directly.
	 * @param <T> the interface
	 * @param type the interface
	 * @return the proxy
	 */
	public <T> T proxy(Class<T> type) {
		if (!type.isInterface()) {
			throw new IllegalArgumentException(type.getName() + " is not an interface");
		}
		return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
				new ProxyInvocation(this, type, this.frames.mapper())));
	}

	/**
	 * Closes the connection. Calls in flight fail with {@link RpcConnectionException}.
	 */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		Link current = this.link;
		if (current != null) {
			current.webSocket().sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally((ex) -> null);
		}
		for (Link old : this.retired) {
			old.webSocket().sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally((ex) -> null);
		}
		failPending(null, "The client was closed");
		shutDown();
	}

	private CompletableFuture<Link> open(URI uri) {
		WebSocket.Builder builder = this.http.newWebSocketBuilder().connectTimeout(this.options.connectTimeout());
		this.options.headers().forEach(builder::header);
		Listener listener = new Listener(uri);
		return builder.buildAsync(uri, listener).thenApply((webSocket) -> {
			Link opened = new Link(uri, webSocket, new SerialSender(webSocket, (ex) -> {
				webSocket.abort();
				lost(webSocket, uri, 1006, "send failed: " + describe(ex));
			}), listener);
			listener.webSocket = webSocket;
			return opened;
		});
	}

	private void received(String text, WebSocket from) {
		JsonNode message = this.frames.read(text);
		if (message == null) {
			return;
		}
		Reply reply = this.frames.reply(message);
		if (reply == null) {
			if (this.frames.isDrainingNotice(message)) {
				if (isCurrent(from)) {
					startReconnecting(true);
				}
				return;
			}
			Frames.Event event = this.frames.event(message);
			if (event != null) {
				this.subscriptions.deliver(event, () -> isCurrent(from));
			}
			return;
		}
		if (!reply.id().canConvertToLong()) {
			return;
		}
		Pending call = this.pending.remove(reply.id().asLong());
		if (call != null) {
			call.timer().cancel(false);
			call.reply().complete(reply);
		}
	}

	private boolean isCurrent(WebSocket webSocket) {
		Link current = this.link;
		return current != null && current.webSocket() == webSocket;
	}

	/**
	 * Handles a close or error that the connection's listener heard before the link was
	 * in place, which {@link #lost} ignored then: a server may close right after the
	 * upgrade.
	 */
	private void lostIfClosedAlready(@Nullable Link opened) {
		if (opened != null && opened.listener().closeReason != null) {
			lost(opened.webSocket(), opened.uri(), opened.listener().closeCode,
					Objects.requireNonNull(opened.listener().closeReason));
		}
	}

	private void lost(WebSocket webSocket, URI uri, int statusCode, String reason) {
		boolean current;
		synchronized (this.linkLock) {
			Link link = this.link;
			current = link != null && link.webSocket() == webSocket;
			if (current) {
				this.link = null;
			}
			this.retired.removeIf((old) -> old.webSocket() == webSocket);
		}
		if (this.closed) {
			return;
		}
		failPending(webSocket, "The connection to " + uri + " was lost (" + statusCode
				+ (reason.isEmpty() ? "" : " " + reason) + "); the call may or may not have run");
		if (current) {
			this.listeners.forEach((listener) -> listener.onDisconnected(statusCode, reason));
			startReconnecting(statusCode == 1001);
		}
	}

	/**
	 * Starts a series of attempts to reconnect, unless one is under way.
	 * @param atOnce whether the server is going away, so the first attempt goes to the
	 * next URL without the policy's delay
	 */
	private void startReconnecting(boolean atOnce) {
		if (this.closed || this.options.reconnect().delay(1, () -> 0.5) == null
				|| !this.reconnecting.compareAndSet(false, true)) {
			return;
		}
		if (atOnce) {
			this.timers.execute(() -> reconnect(1));
		}
		else {
			scheduleReconnect(1);
		}
	}

	private void scheduleReconnect(int attempt) {
		Duration delay = this.options.reconnect().delay(attempt, ThreadLocalRandom.current()::nextDouble);
		if (delay == null || this.closed) {
			this.reconnecting.set(false);
			return;
		}
		this.timers.schedule(() -> reconnect(attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void reconnect(int attempt) {
		if (this.closed) {
			return;
		}
		URI uri;
		synchronized (this.linkLock) {
			uri = this.uris.get(this.nextUri);
			this.nextUri = (this.nextUri + 1) % this.uris.size();
		}
		open(uri).whenComplete((opened, ex) -> {
			if (ex != null) {
				Duration next = this.options.reconnect().delay(attempt + 1, ThreadLocalRandom.current()::nextDouble);
				this.listeners.forEach((listener) -> listener.onReconnectFailed(attempt, unwrap(ex), next));
				scheduleReconnect(attempt + 1);
				return;
			}
			if (this.closed) {
				opened.webSocket().abort();
				return;
			}
			synchronized (this.linkLock) {
				Link old = this.link;
				if (old != null) {
					// a server that is draining: its calls in flight still get their
					// replies
					this.retired.add(old);
				}
				this.link = opened;
				this.reconnecting.set(false);
			}
			this.subscriptions.renewAll().forEach((renewal) -> send(renewal, false));
			this.listeners.forEach((listener) -> listener.onConnected(uri, true));
			lostIfClosedAlready(opened);
		});
	}

	/**
	 * Fails the calls sent on one connection, or on any.
	 */
	private void failPending(@Nullable WebSocket sentOn, String message) {
		for (Map.Entry<Long, Pending> entry : this.pending.entrySet()) {
			if (sentOn != null && entry.getValue().sentOn() != sentOn) {
				continue;
			}
			Pending call = this.pending.remove(entry.getKey());
			if (call != null) {
				call.timer().cancel(false);
				call.reply().completeExceptionally(new RpcConnectionException(message));
			}
		}
	}

	private void shutDown() {
		this.timers.shutdownNow();
	}

	private static Throwable unwrap(Throwable ex) {
		Throwable cause = ex;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	/**
	 * Says in a few words why opening or using a connection failed.
	 * @param ex the failure, possibly wrapped
	 * @return for example {@code connection refused}
	 */
	public static String describe(Throwable ex) {
		Throwable cause = unwrap(ex);
		if (cause instanceof WebSocketHandshakeException handshake) {
			return "the server refused the WebSocket handshake with HTTP " + handshake.getResponse().statusCode();
		}
		if (cause instanceof TimeoutException || cause instanceof java.net.http.HttpTimeoutException) {
			return "timed out";
		}
		while (cause.getCause() != null && !(cause instanceof ConnectException)) {
			cause = cause.getCause();
		}
		if (cause instanceof ConnectException) {
			return "connection refused";
		}
		String message = cause.getMessage();
		return (message != null) ? message : cause.getClass().getSimpleName();
	}

	private String describeUris() {
		return (this.uris.size() == 1) ? this.uris.get(0).toString() : this.uris.toString();
	}

	private record Pending(CompletableFuture<Reply> reply, ScheduledFuture<?> timer, WebSocket sentOn) {
	}

	private record Link(URI uri, WebSocket webSocket, SerialSender sender, Listener listener) {
	}

	/**
	 * Receives frames of one connection: joins partial text frames and hands each message
	 * on; a close or error ends the connection.
	 */
	private final class Listener implements WebSocket.Listener {

		private final TextMessages messages = new TextMessages();

		private final URI uri;

		private volatile @Nullable WebSocket webSocket;

		private volatile int closeCode;

		/** Why the connection ended, once it has; written after {@link #closeCode}. */
		private volatile @Nullable String closeReason;

		Listener(URI uri) {
			this.uri = uri;
		}

		@Override
		public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			String text = this.messages.append(data, last);
			if (text != null) {
				received(text, webSocket);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			ended(statusCode, reason);
			lost(webSocket, this.uri, statusCode, reason);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			ended(1006, describe(error));
			lost(webSocket, this.uri, 1006, describe(error));
		}

		private void ended(int statusCode, String reason) {
			this.closeCode = statusCode;
			this.closeReason = reason;
		}

	}

}
