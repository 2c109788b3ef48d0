package io.wsrpc.baseline;

import java.io.IOException;
import java.time.Duration;

import io.wsrpc.WsrpcProperties;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * With the {@code echo-baseline} profile, serves {@value #PATH}: every text message is
 * sent straight back on the same connection, with no decoding, dispatch or connection
 * bookkeeping. It runs on the same Jetty container with the same message size limit as
 * the RPC endpoints, so a benchmark against it measures what the RPC layer costs. Like
 * every path but {@code /ws} and {@code /jsonrpc}, it needs no API key; it is meant for
 * benchmark servers only.
 */
@Configuration(proxyBeanMethods = false)
@Profile("echo-baseline")
@EnableWebSocket
class EchoBaselineConfiguration implements WebSocketConfigurer {

	/** The path of the echo endpoint. */
	static final String PATH = "/echo";

	private final WsrpcProperties properties;

	EchoBaselineConfiguration(WsrpcProperties properties) {
		this.properties = properties;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		JettyRequestUpgradeStrategy upgrade = new JettyRequestUpgradeStrategy();
		long maxMessageSize = this.properties.maxMessageSize().toBytes();
		upgrade.addWebSocketConfigurer((configurable) -> {
			configurable.setMaxTextMessageSize(maxMessageSize);
			configurable.setMaxFrameSize(maxMessageSize);
			configurable.setIdleTimeout(Duration.ZERO);
		});
		registry.addHandler(new EchoHandler(), PATH).setHandshakeHandler(new DefaultHandshakeHandler(upgrade));
	}

	/**
	 * Sends each text message back. Jetty delivers one connection's messages one at a
	 * time and only this handler sends, so no two sends on a session overlap.
	 */
	private static final class EchoHandler extends TextWebSocketHandler {

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
			session.sendMessage(message);
		}

	}

}
