package io.wsrpc.transport;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.wsrpc.WsrpcProperties;
import io.wsrpc.registry.Discovery;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Where the endpoints live: the native protocol on {@value #NATIVE_PATH} and JSON-RPC 2.0
 * on {@value #JSON_RPC_PATH}, both with the message size limit and idle timeout from
 * {@link WsrpcProperties}. While the server drains at shutdown, new connections are
 * refused with 503. The OpenRPC document of both is on {@value #OPENRPC_PATH}.
 */
final class WebSocketEndpoints implements WebSocketConfigurer {

	/** The path of the native protocol. */
	static final String NATIVE_PATH = "/ws";

	/** The path of JSON-RPC 2.0. */
	static final String JSON_RPC_PATH = "/jsonrpc";

	/** The path of the OpenRPC document over HTTP. */
	static final String OPENRPC_PATH = "/openrpc.json";

	/** The endpoints as the OpenRPC document's servers name them. */
	static final List<Discovery.Endpoint> SERVERS = List.of(
			new Discovery.Endpoint("native", NATIVE_PATH, "The native protocol: request_id, action and params"),
			new Discovery.Endpoint("jsonrpc", JSON_RPC_PATH, "JSON-RPC 2.0"));

	private final NativeProtocolHandler nativeHandler;

	private final JsonRpcProtocolHandler jsonRpcHandler;

	private final WsrpcProperties properties;

	private final ShutdownDrain drain;

	private final Connections connections;

	WebSocketEndpoints(NativeProtocolHandler nativeHandler, JsonRpcProtocolHandler jsonRpcHandler,
			WsrpcProperties properties, ShutdownDrain drain, Connections connections) {
		this.connections = connections;
		this.nativeHandler = nativeHandler;
		this.jsonRpcHandler = jsonRpcHandler;
		this.properties = properties;
		this.drain = drain;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		JettyRequestUpgradeStrategy upgrade = new JettyUpgrade(this.properties.permessageDeflate());
		long maxMessageSize = this.properties.maxMessageSize().toBytes();
		upgrade.addWebSocketConfigurer((configurable) -> {
			configurable.setMaxTextMessageSize(maxMessageSize);
			configurable.setMaxFrameSize(maxMessageSize);
			// idle connections and dead peers are found by Keepalive, which tells pings
			// from messages
			configurable.setIdleTimeout(Duration.ZERO);
		});
		DefaultHandshakeHandler handshake = new DefaultHandshakeHandler(upgrade);
		HandshakeInterceptor admission = new Admission(this.drain, this.connections);
		String[] origins = this.properties.allowedOrigins().toArray(String[]::new);
		registry.addHandler(this.nativeHandler, NATIVE_PATH)
			.setHandshakeHandler(handshake)
			.addInterceptors(admission)
			.setAllowedOriginPatterns(origins);
		registry.addHandler(this.jsonRpcHandler, JSON_RPC_PATH)
			.setHandshakeHandler(handshake)
			.addInterceptors(admission)
			.setAllowedOriginPatterns(origins);
	}

	/**
	 * Refuses a handshake before anything is allocated for it: 503 while draining or at
	 * the server's connection limit, 429 at the remote address's limit; counts the
	 * handshakes that Spring's origin check, after it, refuses with 403. An admitted
	 * handshake takes its {@link Connections.Place place} at once, so that handshakes
	 * racing each other cannot exceed a cap; the place goes back if the upgrade fails,
	 * and otherwise when the connection closes.
	 */
	private record Admission(ShutdownDrain drain, Connections connections) implements HandshakeInterceptor {

		@Override
		public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
				WebSocketHandler wsHandler, Map<String, Object> attributes) {
			if (this.drain.isDraining()) {
				this.connections.refused("draining");
				response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
				return false;
			}
			InetSocketAddress remote = request.getRemoteAddress();
			Connections.Place place = this.connections
				.place((remote != null) ? remote.getAddress().getHostAddress() : null);
			String refusal = place.take();
			if (refusal != null) {
				response.setStatusCode(
						refusal.equals("per_address") ? HttpStatus.TOO_MANY_REQUESTS : HttpStatus.SERVICE_UNAVAILABLE);
				return false;
			}
			// the connection's session gets the attributes, afterHandshake only the
			// request
			attributes.put(Connections.Place.ATTRIBUTE, place);
			if (request instanceof ServletServerHttpRequest servlet) {
				servlet.getServletRequest().setAttribute(Connections.Place.ATTRIBUTE, place);
			}
			return true;
		}

		@Override
		public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
				@Nullable Exception exception) {
			if (exception != null || !upgraded(response)) {
				// refused after admission (a bad origin or version) or failed: no
				// connection will give the place back
				if (status(response) == HttpStatus.FORBIDDEN.value()) {
					// Spring's origin check, the one interceptor after this one, is the
					// only one that answers 403
					this.connections.refused("origin");
				}
				if (request instanceof ServletServerHttpRequest servlet && servlet.getServletRequest()
					.getAttribute(Connections.Place.ATTRIBUTE) instanceof Connections.Place place) {
					place.release();
				}
			}
		}

		private static boolean upgraded(ServerHttpResponse response) {
			return status(response) == HttpStatus.SWITCHING_PROTOCOLS.value();
		}

		private static int status(ServerHttpResponse response) {
			return (response instanceof ServletServerHttpResponse servlet) ? servlet.getServletResponse().getStatus()
					: 0;
		}

	}

}
