package io.wsrpc.security;

import java.io.IOException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers a request that needs an API key and has none, or has a token that is no key:
 * 401 with {@code WWW-Authenticate: Bearer}. When the request is a WebSocket handshake,
 * counts it in {@code rpc.server.handshakes.refused} with reason {@code unauthorized}.
 */
final class BearerChallenge implements AuthenticationEntryPoint {

	private final Counter refusedHandshakes;

	BearerChallenge(MeterRegistry meterRegistry) {
		this.refusedHandshakes = meterRegistry.counter("rpc.server.handshakes.refused", "reason", "unauthorized");
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		if ("websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
			this.refusedHandshakes.increment();
		}
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
	}

}
