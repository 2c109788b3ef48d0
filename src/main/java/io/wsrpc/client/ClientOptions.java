package io.wsrpc.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import javax.net.ssl.SSLContext;

import io.wsrpc.protocol.Dialect;
import org.jspecify.annotations.Nullable;

/**
 * How an {@link RpcClient} connects and calls. Immutable; each {@code with} method
 * returns a copy.
 *
 * @param connectTimeout how long opening the connection may take
 * @param callTimeout how long a call waits for its reply
 * @param headers extra handshake headers, such as {@code Authorization}
 * @param reconnect what to do when the connection drops
 * @param dialect the native protocol (on {@code /ws}) or JSON-RPC 2.0 (on
 * {@code /jsonrpc}); the URI must point at the matching endpoint
 * @param sslContext the TLS setup of {@code wss://} connections, such as a trust store
 * holding a private certificate authority; {@code null} for the JDK's default
 */
public record ClientOptions(Duration connectTimeout, Duration callTimeout, Map<String, String> headers,
		ReconnectPolicy reconnect, Dialect dialect, @Nullable SSLContext sslContext) {

	public ClientOptions {
		Objects.requireNonNull(connectTimeout, "connectTimeout");
		Objects.requireNonNull(callTimeout, "callTimeout");
		headers = Map.copyOf(headers);
		Objects.requireNonNull(reconnect, "reconnect");
		Objects.requireNonNull(dialect, "dialect");
	}

	/**
	 * Connect within 10 s, calls time out after 30 s, reconnect with
	 * {@link ReconnectPolicy#defaults()}, native protocol, the JDK's default TLS setup.
	 * @return the defaults
	 */
	public static ClientOptions defaults() {
		return new ClientOptions(Duration.ofSeconds(10), Duration.ofSeconds(30), Map.of(), ReconnectPolicy.defaults(),
				Dialect.NATIVE, null);
	}

	public ClientOptions withConnectTimeout(Duration connectTimeout) {
		return new ClientOptions(connectTimeout, this.callTimeout, this.headers, this.reconnect, this.dialect,
				this.sslContext);
	}

	public ClientOptions withCallTimeout(Duration callTimeout) {
		return new ClientOptions(this.connectTimeout, callTimeout, this.headers, this.reconnect, this.dialect,
				this.sslContext);
	}

	public ClientOptions withHeader(String name, String value) {
		Map<String, String> headers = new LinkedHashMap<>(this.headers);
		headers.put(name, value);
		return new ClientOptions(this.connectTimeout, this.callTimeout, headers, this.reconnect, this.dialect,
				this.sslContext);
	}

	/**
	 * Sends {@code Authorization: Bearer <token>} with the handshake.
	 * @param token the token
	 * @return the copy
	 */
	public ClientOptions withBearerToken(String token) {
		return withHeader("Authorization", "Bearer " + token);
	}

	public ClientOptions withReconnect(ReconnectPolicy reconnect) {
		return new ClientOptions(this.connectTimeout, this.callTimeout, this.headers, reconnect, this.dialect,
				this.sslContext);
	}

	public ClientOptions withDialect(Dialect dialect) {
		return new ClientOptions(this.connectTimeout, this.callTimeout, this.headers, this.reconnect, dialect,
				this.sslContext);
	}

	/**
	 * Connects to {@code wss://} URLs with this TLS setup rather than the JDK's default,
	 * for a server whose certificate the default trust store does not hold.
	 * @param sslContext the TLS setup
	 * @return the copy
	 */
	public ClientOptions withSslContext(SSLContext sslContext) {
		Objects.requireNonNull(sslContext, "sslContext");
		return new ClientOptions(this.connectTimeout, this.callTimeout, this.headers, this.reconnect, this.dialect,
				sslContext);
	}

}
