package io.wsrpc.transport;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.websocket.server.JettyWebSocketCreator;
import org.eclipse.jetty.ee11.websocket.server.JettyWebSocketServerContainer;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.adapter.jetty.JettyWebSocketHandlerAdapter;
import org.springframework.web.socket.adapter.jetty.JettyWebSocketSession;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;

/**
 * Spring's Jetty upgrade, except that it can turn down every WebSocket extension a client
 * offers. Jetty otherwise accepts {@code permessage-deflate} whenever a client (every
 * browser, Node's {@code ws}) offers it, which costs each connection a zlib state and
 * each message a compression; for small RPC messages that buys nothing.
 */
final class JettyUpgrade extends JettyRequestUpgradeStrategy {

	private final boolean extensions;

	/**
	 * @param extensions whether to accept the extensions a client offers, as Jetty would
	 */
	JettyUpgrade(boolean extensions) {
		this.extensions = extensions;
	}

	@Override
	public void upgrade(ServerHttpRequest request, ServerHttpResponse response, @Nullable String selectedProtocol,
			List<WebSocketExtension> selectedExtensions, @Nullable Principal user, WebSocketHandler handler,
			Map<String, Object> attributes) throws HandshakeFailureException {
		if (this.extensions || !(request instanceof ServletServerHttpRequest servletRequest)
				|| !(response instanceof ServletServerHttpResponse servletResponse)) {
			super.upgrade(request, response, selectedProtocol, selectedExtensions, user, handler, attributes);
			return;
		}
		HttpServletRequest httpRequest = servletRequest.getServletRequest();
		HttpServletResponse httpResponse = servletResponse.getServletResponse();
		JettyWebSocketHandlerAdapter adapter = new JettyWebSocketHandlerAdapter(handler,
				new JettyWebSocketSession(attributes, user));
		JettyWebSocketCreator creator = (upgradeRequest, upgradeResponse) -> {
			if (selectedProtocol != null) {
				upgradeResponse.setAcceptedSubProtocol(selectedProtocol);
			}
			upgradeResponse.setExtensions(List.of());
			return adapter;
		};
		try {
			JettyWebSocketServerContainer.getContainer(httpRequest.getServletContext())
				.upgrade(creator, httpRequest, httpResponse);
		}
		catch (Exception ex) {
			throw new HandshakeFailureException("Failed to upgrade " + request.getURI(), ex);
		}
	}

}
