package io.wsrpc.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.wsrpc.support.TestClient;
import io.wsrpc.support.TestMethods;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * wsrpc's chain next to what a host application adds: a JWT resource server, contributed
 * as the JWT recipe of docs/security.md says, and the host's own paths under its own
 * chain.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "wsrpc.security.enabled=true", "wsrpc.security.api-keys[0].name=alice",
				"wsrpc.security.api-keys[0].sha256=0845e3658edc1c91bfc9d172eeae3e60417056b1b7fe9909c00e05023adb7f1d",
				"wsrpc.security.api-keys[0].roles=user", "wsrpc.security.api-keys[1].name=root",
				"wsrpc.security.api-keys[1].sha256=69a5265506c94c77b787a7d7377b7685a0eff82e33920a71e7ee22cd6154953e",
				"wsrpc.security.api-keys[1].roles=user,admin",
				"spring.security.oauth2.resourceserver.jwt.authorities-claim-name=roles",
				"spring.security.oauth2.resourceserver.jwt.authority-prefix=ROLE_" })
@Import({ TestMethods.Config.class, ComposedSecurityIntegrationTests.Host.class })
class ComposedSecurityIntegrationTests {

	private static final KeyPair ISSUER = rsaKeyPair();

	@LocalServerPort
	private int port;

	@Test
	void aJwtOpensTheConnectionAndItsRolesReachMethods() throws Exception {
		String jwt = jwt(ISSUER, "carol", List.of("user", "admin"));
		try (TestClient client = TestClient.connect(uri("/ws"), Map.of("Authorization", "Bearer " + jwt))) {
			// only ROLE_ authorities are roles: not the FACTOR_BEARER that Spring
			// Security
			// adds to every JWT login
			assertThat(client.call("""
					{"request_id": 1, "action": "test.whoami", "params": {"greeting": "hi"}}""")
				.get("result")
				.asString()).isEqualTo("hi carol [admin, user]");
			assertThat(client.call("""
					{"request_id": 2, "action": "test.admin_only"}""").get("result").asString()).isEqualTo("secret");
		}
		String userJwt = jwt(ISSUER, "dave", List.of("user"));
		try (TestClient client = TestClient.connect(uri("/ws"), Map.of("Authorization", "Bearer " + userJwt))) {
			assertThat(client.call("""
					{"request_id": 1, "action": "test.admin_only"}""").at("/error/code").asString())
				.isEqualTo("forbidden");
		}
	}

	@Test
	void anApiKeyStillOpensTheConnectionNextToTheJwtResourceServer() {
		try (TestClient header = TestClient.connect(uri("/ws"), Map.of("Authorization", "Bearer admin-key"));
				TestClient parameter = TestClient.connect(uri("/jsonrpc?access_token=user-key"), Map.of())) {
			assertThat(header.call("""
					{"request_id": 1, "action": "test.whoami", "params": {"greeting": "hi"}}""")
				.get("result")
				.asString()).isEqualTo("hi root [admin, user]");
			assertThat(parameter.call("""
					{"jsonrpc": "2.0", "method": "test.whoami", "params": {"greeting": "hi"}, "id": 1}""")
				.get("result")
				.asString()).isEqualTo("hi alice [user]");
		}
	}

	@Test
	void hostApplicationPathsFollowTheHostsChainAndWsrpcPathsFollowWsrpcs() throws Exception {
		assertThat(get("/host/hello").statusCode()).isEqualTo(200);
		assertThat(get("/host/hello").body()).isEqualTo("hello");
		assertThat(get("/host/closed").statusCode()).isEqualTo(403);
		assertThat(get("/actuator/metrics").statusCode()).isEqualTo(401);
		assertThat(TestClient.refusedStatus(uri("/ws"), Map.of())).isEqualTo(401);
	}

	private URI uri(String path) {
		return URI.create("ws://localhost:" + this.port + path);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

	private static String jwt(KeyPair issuer, String subject, List<String> roles) throws JOSEException {
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256),
				new JWTClaimsSet.Builder().subject(subject)
					.claim("roles", roles)
					.issueTime(new Date())
					.expirationTime(Date.from(Instant.now().plusSeconds(300)))
					.build());
		jwt.sign(new RSASSASigner(issuer.getPrivate()));
		return jwt.serialize();
	}

	private static KeyPair rsaKeyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * What a host application adds: the JWT recipe of docs/security.md (with a decoder
	 * over a local key where the recipe sets an issuer), a controller of its own, and its
	 * own chain for every other path.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class Host {

		@Bean
		JwtDecoder jwtDecoder() {
			return NimbusJwtDecoder.withPublicKey((RSAPublicKey) ISSUER.getPublic()).build();
		}

		@Bean
		Customizer<HttpSecurity> jwtResourceServer() {
			return (http) -> http.oauth2ResourceServer((oauth2) -> oauth2.jwt(Customizer.withDefaults()));
		}

		@Bean
		SecurityFilterChain hostSecurityFilterChain(HttpSecurity http) {
			return http
				.authorizeHttpRequests(
						(requests) -> requests.requestMatchers("/host/closed").denyAll().anyRequest().permitAll())
				.exceptionHandling((exceptions) -> exceptions
					.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.FORBIDDEN)))
				.build();
		}

		@Bean
		HostController hostController() {
			return new HostController();
		}

	}

	@RestController
	static class HostController {

		@GetMapping("/host/hello")
		String hello() {
			return "hello";
		}

		@GetMapping("/host/closed")
		String closed() {
			return "closed";
		}

	}

}
