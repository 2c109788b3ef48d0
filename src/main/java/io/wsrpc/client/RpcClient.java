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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

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
 * client reconnects as its {@link ReconnectPolicy} says; calls made while it is
 * disconnected fail at once.
 */
public final class RpcClient implements AutoCloseable {

	private final URI uri;

	private final ClientOptions options;

	private final Frames frames;

	private final HttpClient http;

	private final ScheduledThreadPoolExecutor timers;

	private final AtomicLong ids = new AtomicLong();

	private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

	private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();

	private final Map<String, Consumer<Frames.Event>> subscriptions = new ConcurrentHashMap<>();

	private volatile @Nullable Link link;

	/** Lets one thread only find that a link was lost. */
	private final Object linkLock = new Object();

	private volatile boolean closed;

	private RpcClient(URI uri, ClientOptions options) {
		this.uri = uri;
		this.options = options;
		this.frames = new Frames(options.dialect());
		this.http = HttpClient.newBuilder().connectTimeout(options.connectTimeout()).build();
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
		String scheme = uri.getScheme();
		if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
			throw new IllegalArgumentException("The URL must start with ws:// or wss://, not '" + uri + "'");
		}
		RpcClient client = new RpcClient(uri, options);
		try {
			client.link = client.open().get(options.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			client.shutDown();
			throw new RpcConnectionException("Cannot connect to " + uri + ": " + describe(ex), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			client.shutDown();
			throw new RpcConnectionException("Interrupted while connecting to " + uri, ex);
		}
		client.listeners.forEach((listener) -> listener.onConnected(uri, false));
		client.lostIfClosedAlready(client.link);
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
					this.closed ? "The client is closed" : "Not connected to " + this.uri + "; reconnecting"));
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
		this.pending.put(id, new Pending(reply, timer));
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
	 * Events go to {@code onEvent} on the client's receiving thread; keep it short. The
	 * subscription is renewed after every reconnect; events published while disconnected
	 * are missed.
	 * @param topic the topic or pattern
	 * @param onEvent receives each event
	 * @return completes when the server has subscribed the connection, with whether the
	 * subscription is new
	 */
	public CompletableFuture<Boolean> subscribe(String topic, Consumer<Frames.Event> onEvent) {
		this.subscriptions.put(topic, onEvent);
		return call("subscribe", Map.of("topic", topic), JsonNode.class)
			.thenApply((reply) -> reply.path("new").asBoolean());
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
		failPending("The client was closed");
		shutDown();
	}

	private CompletableFuture<Link> open() {
		WebSocket.Builder builder = this.http.newWebSocketBuilder().connectTimeout(this.options.connectTimeout());
		this.options.headers().forEach(builder::header);
		Listener listener = new Listener();
		return builder.buildAsync(this.uri, listener).thenApply((webSocket) -> {
			Link opened = new Link(webSocket, new SerialSender(webSocket, (ex) -> {
				webSocket.abort();
				lost(webSocket, 1006, "send failed: " + describe(ex));
			}), listener);
			listener.webSocket = webSocket;
			return opened;
		});
	}

	private void received(String text) {
		Reply reply = this.frames.reply(text);
		if (reply == null) {
			Frames.Event event = this.frames.event(text);
			if (event != null) {
				this.subscriptions.forEach((pattern, listener) -> {
					if (matches(pattern, event.topic())) {
						listener.accept(event);
					}
				});
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

	/**
	 * Handles a close or error that the connection's listener heard before the link was
	 * in place, which {@link #lost} ignored then: a server may close right after the
	 * upgrade.
	 */
	private void lostIfClosedAlready(@Nullable Link opened) {
		if (opened != null && opened.listener().closeReason != null) {
			lost(opened.webSocket(), opened.listener().closeCode,
					Objects.requireNonNull(opened.listener().closeReason));
		}
	}

	private void lost(WebSocket webSocket, int statusCode, String reason) {
		synchronized (this.linkLock) {
			Link current = this.link;
			if (current == null || current.webSocket() != webSocket) {
				return;
			}
			this.link = null;
		}
		if (this.closed) {
			return;
		}
		failPending("The connection to " + this.uri + " was lost (" + statusCode
				+ (reason.isEmpty() ? "" : " " + reason) + "); the call may or may not have run");
		this.listeners.forEach((listener) -> listener.onDisconnected(statusCode, reason));
		scheduleReconnect(1);
	}

	private void scheduleReconnect(int attempt) {
		Duration delay = this.options.reconnect().delay(attempt, ThreadLocalRandom.current()::nextDouble);
		if (delay == null || this.closed) {
			return;
		}
		this.timers.schedule(() -> reconnect(attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void reconnect(int attempt) {
		if (this.closed) {
			return;
		}
		open().whenComplete((opened, ex) -> {
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
				this.link = opened;
			}
			this.subscriptions.keySet()
				.forEach((topic) -> call("subscribe", Map.of("topic", topic), JsonNode.class)
					.exceptionally((failed) -> null));
			this.listeners.forEach((listener) -> listener.onConnected(this.uri, true));
			lostIfClosedAlready(opened);
		});
	}

	private static boolean matches(String pattern, String topic) {
		return pattern.endsWith(".*") ? topic.startsWith(pattern.substring(0, pattern.length() - 1))
				: pattern.equals(topic);
	}

	private void failPending(String message) {
		for (Long id : List.copyOf(this.pending.keySet())) {
			Pending call = this.pending.remove(id);
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

	private record Pending(CompletableFuture<Reply> reply, ScheduledFuture<?> timer) {
	}

	private record Link(WebSocket webSocket, SerialSender sender, Listener listener) {
	}

	/**
	 * Receives frames of one connection: joins partial text frames and hands each message
	 * on; a close or error ends the connection.
	 */
	private final class Listener implements WebSocket.Listener {

		private final TextMessages messages = new TextMessages();

		private volatile @Nullable WebSocket webSocket;

		private volatile int closeCode;

		/** Why the connection ended, once it has; written after {@link #closeCode}. */
		private volatile @Nullable String closeReason;

		@Override
		public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			String text = this.messages.append(data, last);
			if (text != null) {
				received(text);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			ended(statusCode, reason);
			lost(webSocket, statusCode, reason);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			ended(1006, describe(error));
			lost(webSocket, 1006, describe(error));
		}

		private void ended(int statusCode, String reason) {
			this.closeCode = statusCode;
			this.closeReason = reason;
		}

	}

}
