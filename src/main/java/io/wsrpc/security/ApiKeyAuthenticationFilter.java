package io.wsrpc.security;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import io.wsrpc.WsrpcProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by its API key: a bearer token in the {@code Authorization}
 * header or, for browsers, which cannot set headers on a WebSocket handshake, in the
 * {@code access_token} query parameter. A request with a token that is no key gets the
 * {@link BearerChallenge} at once; a request without a token goes on anonymous.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

	private static final String BEARER = "Bearer ";

	private final ApiKeys keys;

	private final BearerChallenge challenge;

	ApiKeyAuthenticationFilter(ApiKeys keys, BearerChallenge challenge) {
		this.keys = keys;
		this.challenge = challenge;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String token = token(request);
		if (token == null) {
			chain.doFilter(request, response);
			return;
		}
		Optional<WsrpcProperties.ApiKey> key = this.keys.find(token);
		if (key.isEmpty()) {
			this.challenge.commence(request, response, new BadCredentialsException("The token is no API key"));
			return;
		}
		List<SimpleGrantedAuthority> authorities = key.get()
			.roles()
			.stream()
			.map((role) -> new SimpleGrantedAuthority("ROLE_" + role))
			.toList();
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(key.get().name(), null, authorities));
		chain.doFilter(request, response);
	}

	private static @Nullable String token(HttpServletRequest request) {
		String header = request.getHeader("Authorization");
		if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return header.substring(BEARER.length()).trim();
		}
		String parameter = request.getParameter("access_token");
		return (parameter != null && !parameter.isEmpty()) ? parameter : null;
	}

}
