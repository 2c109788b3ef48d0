package io.wsrpc.security;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.wsrpc.WsrpcProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by its API key: a bearer token in the {@code Authorization}
 * header or, for browsers, which cannot set headers on a WebSocket handshake, in the
 * {@code access_token} query parameter. It runs before any other filter of the chain that
 * reads bearer tokens, such as a JWT resource server's: a request with a key goes on
 * authenticated and with the key taken out of it, so that no later filter reads the key
 * as a token of its own; a request with a token that is no key goes on untouched, for a
 * later filter to authenticate, or anonymous (and is then refused where a path needs
 * authentication). A request that an earlier filter authenticated is left as it is.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

	private static final String BEARER = "Bearer ";

	private static final String ACCESS_TOKEN = "access_token";

	private final ApiKeys keys;

	ApiKeyAuthenticationFilter(ApiKeys keys) {
		this.keys = keys;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String token = token(request);
		Optional<WsrpcProperties.ApiKey> key = (token != null && !isAuthenticated()) ? this.keys.find(token)
				: Optional.empty();
		if (key.isEmpty()) {
			chain.doFilter(request, response);
			return;
		}
		List<SimpleGrantedAuthority> authorities = key.get()
			.roles()
			.stream()
			.map((role) -> new SimpleGrantedAuthority("ROLE_" + role))
			.toList();
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(key.get().name(), null, authorities));
		chain.doFilter(new WithoutToken(request), response);
	}

	private static boolean isAuthenticated() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return authentication != null && authentication.isAuthenticated();
	}

	private static @Nullable String token(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return header.substring(BEARER.length()).trim();
		}
		String parameter = request.getParameter(ACCESS_TOKEN);
		return (parameter != null && !parameter.isEmpty()) ? parameter : null;
	}

	/**
	 * The request without its bearer token: no {@code Authorization} header and no
	 * {@code access_token} parameter.
	 */
	private static final class WithoutToken extends HttpServletRequestWrapper {

		WithoutToken(HttpServletRequest request) {
			super(request);
		}

		@Override
		public @Nullable String getHeader(String name) {
			return isAuthorization(name) ? null : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return isAuthorization(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			return Collections.enumeration(Collections.list(super.getHeaderNames())
				.stream()
				.filter((name) -> !isAuthorization(name))
				.toList());
		}

		@Override
		public @Nullable String getParameter(String name) {
			return ACCESS_TOKEN.equals(name) ? null : super.getParameter(name);
		}

		@Override
		public String @Nullable [] getParameterValues(String name) {
			return ACCESS_TOKEN.equals(name) ? null : super.getParameterValues(name);
		}

		@Override
		public Map<String, String[]> getParameterMap() {
			Map<String, String[]> parameters = new LinkedHashMap<>(super.getParameterMap());
			parameters.remove(ACCESS_TOKEN);
			return Collections.unmodifiableMap(parameters);
		}

		@Override
		public Enumeration<String> getParameterNames() {
			return Collections.enumeration(getParameterMap().keySet());
		}

		private static boolean isAuthorization(String name) {
			return HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name);
		}

	}

}
