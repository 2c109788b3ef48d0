package io.wsrpc;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.wsrpc.api.RpcMethod;
import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application in a package of its own that depends on wsrpc: no component scan of
 * {@code io.wsrpc}, only the auto-configuration, its own method, controller and security
 * chain. Its method answers on both endpoints, the demo methods are absent, and its own
 * chain keeps its paths, the actuator among them.
 */
@SpringBootTest(classes = DependentApplicationIntegrationTests.Host.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class DependentApplicationIntegrationTests {

	@LocalServerPort
	private int port;

	@Test
	void theApplicationsMethodAnswersOnBothEndpointsAndTheDemoMethodsAreAbsent() {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			assertThat(client.call("""
					{"request_id": 1, "action": "greet", "params": {"name": "Ada"}}""")).isEqualTo(json("""
					{"request_id": 1, "status": "ok", "result": "Hello, Ada!"}"""));
			assertThat(client.call("""
					{"request_id": 2, "action": "add_numbers", "params": {"a": 5, "b": 10}}""")
				.at("/error/code")
				.asString()).isEqualTo("method_not_found");
		}
		try (TestClient client = TestClient.connect(this.port, "/jsonrpc")) {
			assertThat(client.call("""
					{"jsonrpc": "2.0", "method": "greet", "params": {"name": "Ada"}, "id": 1}""")).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": "Hello, Ada!", "id": 1}"""));
		}
	}

	@Test
	void theApplicationsOwnChainKeepsItsPathsAndItsActuator() throws Exception {
		assertThat(get("/hello").statusCode()).isEqualTo(200);
		assertThat(get("/hello").body()).isEqualTo("hi");
		assertThat(get("/private").statusCode()).isEqualTo(403);
		// public in wsrpc's own application, closed by this one's chain
		assertThat(get("/actuator/health").statusCode()).isEqualTo(403);
		// the console is wsrpc's own application's, not this one's
		assertThat(get("/console.js").statusCode()).isEqualTo(403);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * The application: a method, a controller, and a chain that closes {@code /private}
	 * and the actuator.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Host {

		@Bean
		Greeter greeter() {
			return new Greeter();
		}

		@Bean
		HelloController helloController() {
			return new HelloController();
		}

		@Bean
		SecurityFilterChain hostSecurityFilterChain(HttpSecurity http) {
			return http
				.authorizeHttpRequests((requests) -> requests.requestMatchers("/private", "/actuator/**", "/console.js")
					.denyAll()
					.anyRequest()
					.permitAll())
				.exceptionHandling((exceptions) -> exceptions
					.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.FORBIDDEN)))
				.build();
		}

	}

	static class Greeter {

		@RpcMethod("greet")
		public String greet(String name) {
			return "Hello, " + name + "!";
		}

	}

	@RestController
	static class HelloController {

		@GetMapping("/hello")
		String hello() {
			return "hi";
		}

		@GetMapping("/private")
		String secret() {
			return "secret";
		}

	}

}
