package io.wsrpc.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.WsrpcProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.www.DigestAuthenticationFilter;

/**
 * The HTTP side of security. With {@code wsrpc.security.enabled}, a WebSocket handshake
 * and {@code GET /openrpc.json} need a valid API key (401 otherwise, before any upgrade),
 * and the actuator beyond {@code health} and {@code info} needs a key with the
 * {@code admin} role. Without it, anyone may connect, every connection is anonymous
 * whatever token it carries, and the actuator beyond {@code health} and {@code info}
 * answers only TCP connections from {@code wsrpc.security.actuator-allowed-addresses}
 * (loopback by default), others with 403; see {@link FromAllowedPeers}. Stateless: no
 * HTTP session, no cookies. The chain governs only wsrpc's own {@link #PATHS}, ahead of a
 * host application's chains, and takes part in Spring Security's
 * {@code Customizer<HttpSecurity>} beans, so a JWT resource server added by one works
 * next to the API keys.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/** The role that may read the actuator's non-public endpoints. */
	static final String ADMIN_ROLE = "admin";

	/**
	 * The paths this chain governs: the two endpoints and their OpenRPC document, the
	 * echo baseline, the actuator and the console page with its assets. A host
	 * application's other paths are left to its own chains.
	 */
	static final String[] PATHS = { "/ws", "/jsonrpc", "/openrpc.json", "/echo", "/actuator", "/actuator/**", "/",
			"/index.html", "/console.css", "/console.js" };

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 100)
	SecurityFilterChain wsrpcSecurityFilterChain(HttpSecurity http, WsrpcProperties properties,
			MeterRegistry meterRegistry, Environment environment) {
		Integer configured = environment.getProperty("management.server.port", Integer.class);
		int managementPort = (configured != null && configured > 0
				&& !configured.equals(environment.getProperty("server.port", Integer.class, 8080))) ? configured : -1;
		boolean enabled = properties.security().enabled();
		BearerChallenge challenge = new BearerChallenge(meterRegistry);
		if (enabled) {
			// before every filter that reads bearer tokens: a JWT resource server's comes
			// right after DigestAuthenticationFilter
			http.addFilterBefore(new ApiKeyAuthenticationFilter(new ApiKeys(properties.security().apiKeys())),
					DigestAuthenticationFilter.class);
		}
		// with security off no key can help, so a refusal is 403, not a challenge
		AuthenticationEntryPoint entryPoint = enabled ? challenge : new HttpStatusEntryPoint(HttpStatus.FORBIDDEN);
		return http.securityMatcher(PATHS)
			.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(entryPoint))
			.authorizeHttpRequests((requests) -> {
				requests.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll();
				if (managementPort > 0) {
					// a separate management port is exposed, or not, by whoever runs the
					// server
					requests.requestMatchers((request) -> request.getLocalPort() == managementPort).permitAll();
				}
				if (enabled) {
					requests.requestMatchers("/actuator/**").hasRole(ADMIN_ROLE);
					// the document tells what rpc.discover tells: only to holders of a
					// key
					requests.requestMatchers("/ws", "/jsonrpc", "/openrpc.json").authenticated();
				}
				else {
					requests.requestMatchers("/actuator/**")
						.access(new FromAllowedPeers(properties.security().actuatorAllowedAddresses()));
				}
				requests.anyRequest().permitAll();
			})
			.build();
	}

}
