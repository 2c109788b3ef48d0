package io.wsrpc.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real WebSocket client for tests, on {@code java.net.http}. It joins partial frames
 * into messages and waits for each message or close at most {@value #WAIT_SECONDS}
 * seconds.
 */
public final class TestClient implements AutoCloseable {

	private static final long WAIT_SECONDS = 10;

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final WebSocket webSocket;

	private final BlockingQueue<String> messages;

	private final CompletableFuture<Integer> closeCode;

	private TestClient(WebSocket webSocket, BlockingQueue<String> messages, CompletableFuture<Integer> closeCode) {
		this.webSocket = webSocket;
		this.messages = messages;
		this.closeCode = closeCode;
	}

	public static TestClient connect(int port, String path) {
		return connect(HttpClient.newHttpClient(), URI.create("ws://localhost:" + port + path));
	}

	/**
	 * Connects to a full URI, such as {@code wss://localhost:8443/ws}, trusting only what
	 * the given context trusts. The opening handshake failing throws a
	 * {@link java.util.concurrent.CompletionException} holding the cause.
	 */
	public static TestClient connect(URI uri, SSLContext sslContext) {
		return connect(HttpClient.newBuilder().sslContext(sslContext).build(), uri);
	}

	/**
	 * Connects with extra handshake headers, such as {@code Authorization} or
	 * {@code Origin}.
	 */
	public static TestClient connect(URI uri, Map<String, String> headers) {
		return connect(HttpClient.newHttpClient(), uri, headers);
	}

	/**
	 * Tries a handshake that should be refused.
	 * @return the HTTP status of the refusal
	 */
	public static int refusedStatus(URI uri, Map<String, String> headers) {
		return refusal(uri, headers).statusCode();
	}

	/**
	 * Tries a handshake that should be refused.
	 * @return the response that refused it, with its status and headers
	 */
	public static HttpResponse<?> refusal(URI uri, Map<String, String> headers) {
		try (TestClient client = connect(uri, headers)) {
			throw new AssertionError("The handshake to " + uri + " was accepted");
		}
		catch (java.util.concurrent.CompletionException ex) {
			if (ex.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
				return refused.getResponse();
			}
			throw ex;
		}
	}

	private static TestClient connect(HttpClient httpClient, URI uri) {
		return connect(httpClient, uri, Map.of());
	}

	private static TestClient connect(HttpClient httpClient, URI uri, Map<String, String> headers) {
		BlockingQueue<String> messages = new LinkedBlockingQueue<>();
		CompletableFuture<Integer> closeCode = new CompletableFuture<>();
		WebSocket.Listener listener = new WebSocket.Listener() {

			private final StringBuilder partial = new StringBuilder();

			@Override
			public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
				this.partial.append(data);
				if (last) {
					messages.add(this.partial.toString());
					this.partial.setLength(0);
				}
				webSocket.request(1);
				return null;
			}

			@Override
			public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
				closeCode.complete(statusCode);
				return null;
			}

			@Override
			public void onError(WebSocket webSocket, Throwable error) {
				closeCode.completeExceptionally(error);
			}

		};
		WebSocket.Builder builder = httpClient.newWebSocketBuilder();
		headers.forEach(builder::header);
		WebSocket webSocket = builder.connectTimeout(Duration.ofSeconds(WAIT_SECONDS)).buildAsync(uri, listener).join();
		return new TestClient(webSocket, messages, closeCode);
	}

	public static JsonNode json(String text) {
		return mapper.readTree(text);
	}

	/**
	 * Sends one text message; safe from many threads, since the JDK's client allows only
	 * one send at a time.
	 */
	public synchronized TestClient send(String text) {
		this.webSocket.sendText(text, true).join();
		return this;
	}

	public TestClient sendInParts(String... parts) {
		for (int i = 0; i < parts.length; i++) {
			this.webSocket.sendText(parts[i], i == parts.length - 1).join();
		}
		return this;
	}

	public TestClient sendBinary(byte[] bytes) {
		this.webSocket.sendBinary(ByteBuffer.wrap(bytes), true).join();
		return this;
	}

	public String nextText() {
		try {
			String message = this.messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
			if (message == null) {
				fail("No message within " + WAIT_SECONDS + " s");
			}
			return message;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Waits a while for a message.
	 * @return the message, or {@code null} if none came in time
	 */
	public JsonNode pollMessage(Duration wait) throws InterruptedException {
		String message = this.messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
		return (message != null) ? json(message) : null;
	}

	public JsonNode nextMessage() {
		return json(nextText());
	}

	/**
	 * Sends a request and returns the next message, for tests that send one at a time.
	 */
	public JsonNode call(String request) {
		return send(request).nextMessage();
	}

	public void assertNoMessageWithin(Duration duration) throws InterruptedException {
		String message = this.messages.poll(duration.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(message).as("a message that should not have been sent").isNull();
	}

	/**
	 * Starts the closing handshake from this side, with a status code and a reason.
	 */
	public void closeWith(int statusCode, String reason) {
		this.webSocket.sendClose(statusCode, reason).join();
	}

	public int awaitCloseCode() {
		try {
			return this.closeCode.get(WAIT_SECONDS, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError("The connection was not closed within " + WAIT_SECONDS + " s", ex);
		}
	}

	@Override
	public void close() {
		if (!this.webSocket.isOutputClosed()) {
			this.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally((ex) -> null);
		}
		this.webSocket.abort();
	}

}
