package io.wsrpc.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.WsrpcProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * In wsrpc's own application (found by its component scan, never by an application that
 * depends on wsrpc, whose actuator and pages are its own): the actuator, the echo
 * baseline and the console page. The actuator beyond {@code health} and {@code info}
 * needs a key with the {@code admin} role while {@code wsrpc.security.enabled} is on;
 * while it is off, it answers only TCP connections from
 * {@code wsrpc.security.actuator-allowed-addresses} (loopback by default), others with
 * 403; see {@link FromAllowedPeers}. Everything else here is public.
 */
@Configuration(proxyBeanMethods = false)
class ApplicationSecurityConfiguration {

	/** The role that may read the actuator's non-public endpoints. */
	static final String ADMIN_ROLE = "admin";

	/** The paths this chain governs. */
	static final String[] PATHS = { "/echo", "/actuator", "/actuator/**", "/", "/index.html", "/console.css",
			"/console.js" };

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 101)
	SecurityFilterChain wsrpcApplicationSecurityFilterChain(HttpSecurity http, WsrpcProperties properties,
			MeterRegistry meterRegistry, Environment environment) {
		Integer configured = environment.getProperty("management.server.port", Integer.class);
		int managementPort = (configured != null && configured > 0
				&& !configured.equals(environment.getProperty("server.port", Integer.class, 8080))) ? configured : -1;
		boolean enabled = properties.security().enabled();
		return WsrpcSecurityAutoConfiguration.stateless(http, properties, meterRegistry)
			.securityMatcher(PATHS)
			.authorizeHttpRequests((requests) -> {
				requests.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll();
				if (managementPort > 0) {
					// a separate management port is exposed, or not, by whoever runs the
					// server
					requests.requestMatchers((request) -> request.getLocalPort() == managementPort).permitAll();
				}
				if (enabled) {
					requests.requestMatchers("/actuator/**").hasRole(ADMIN_ROLE);
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
