package io.wsrpc.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.WsrpcProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.www.DigestAuthenticationFilter;

/**
 * The HTTP side of security for the two endpoints. With {@code wsrpc.security.enabled}, a
 * WebSocket handshake and {@code GET /openrpc.json} need a valid API key (401 otherwise,
 * before any upgrade); without it, anyone may connect and every connection is anonymous
 * whatever token it carries. Stateless: no HTTP session, no cookies. The chain governs
 * only {@link #PATHS}, ahead of the application's own chains, which keep every other
 * path; it takes part in Spring Security's {@code Customizer<HttpSecurity>} beans, so a
 * JWT resource server added by one works next to the API keys. An application replaces it
 * with a {@code SecurityFilterChain} bean of its own named
 * {@code wsrpcSecurityFilterChain}.
 */
@AutoConfiguration(before = { ManagementWebSecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class })
@ConditionalOnWebApplication(type = Type.SERVLET)
@EnableConfigurationProperties(WsrpcProperties.class)
public final class WsrpcSecurityAutoConfiguration {

	/**
	 * The paths this chain governs: the two endpoints and their OpenRPC document, which
	 * tells what {@code rpc.discover} tells.
	 */
	static final String[] PATHS = { "/ws", "/jsonrpc", "/openrpc.json" };

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 100)
	@ConditionalOnMissingBean(name = "wsrpcSecurityFilterChain")
	SecurityFilterChain wsrpcSecurityFilterChain(HttpSecurity http, WsrpcProperties properties,
			MeterRegistry meterRegistry) {
		boolean enabled = properties.security().enabled();
		return stateless(http, properties, meterRegistry).securityMatcher(PATHS).authorizeHttpRequests((requests) -> {
			if (enabled) {
				requests.anyRequest().authenticated();
			}
			else {
				requests.anyRequest().permitAll();
			}
		}).build();
	}

	/**
	 * What every chain of wsrpc shares: the API key filter while security is on, no
	 * session, cookie, form or basic login, and refusals as 401 with a bearer challenge
	 * (403 while security is off, since no key can help).
	 * @param http the chain to set up
	 * @param properties the settings
	 * @param meterRegistry where challenges are counted
	 * @return the chain, for its paths and rules
	 */
	static HttpSecurity stateless(HttpSecurity http, WsrpcProperties properties, MeterRegistry meterRegistry) {
		boolean enabled = properties.security().enabled();
		if (enabled) {
			// before every filter that reads bearer tokens: a JWT resource server's comes
			// right after DigestAuthenticationFilter
			http.addFilterBefore(new ApiKeyAuthenticationFilter(new ApiKeys(properties.security().apiKeys())),
					DigestAuthenticationFilter.class);
		}
		AuthenticationEntryPoint entryPoint = enabled ? new BearerChallenge(meterRegistry)
				: new HttpStatusEntryPoint(HttpStatus.FORBIDDEN);
		return http.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(entryPoint));
	}

}
