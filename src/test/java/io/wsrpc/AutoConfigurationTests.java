package io.wsrpc;

import io.wsrpc.api.RpcMethod;
import io.wsrpc.pubsub.Broker;
import io.wsrpc.pubsub.EventSink;
import io.wsrpc.pubsub.Since;
import io.wsrpc.pubsub.Subscribed;
import io.wsrpc.registry.MethodRegistry;
import io.wsrpc.registry.RegisteredMethod;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an application that depends on wsrpc gets from its auto-configuration alone, with
 * none of this project's own application (no component scan of {@code io.wsrpc}), and
 * which of its beans the application can replace with its own.
 */
class AutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withUserConfiguration(AutoConfigured.class);

	@Test
	void theServerServesTheApplicationsMethodsAndTopicsButNoDemoMethods() {
		this.contextRunner.withUserConfiguration(Methods.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(MethodRegistry.class).methods()).extracting(RegisteredMethod::name)
				.contains("greet", "subscribe", "publish", "rpc.discover")
				.doesNotContain("add_numbers", "echo", "sleep");
		});
	}

	@Test
	void aBrokerOfTheApplicationsOwnReplacesTheMemoryBroker() {
		this.contextRunner.withUserConfiguration(OwnBroker.class)
			.run((context) -> assertThat(context).getBean(Broker.class).isInstanceOf(NoBroker.class));
	}

	@Test
	void aChainOfTheApplicationsOwnNamedWsrpcSecurityFilterChainReplacesWsrpcs() {
		this.contextRunner.withUserConfiguration(OwnChain.class).run((context) -> {
			SecurityFilterChain chain = context.getBean("wsrpcSecurityFilterChain", SecurityFilterChain.class);
			assertThat(chain.matches(new MockHttpServletRequest("GET", "/ws"))).isTrue();
			assertThat(chain.matches(new MockHttpServletRequest("GET", "/jsonrpc"))).isFalse();
		});
	}

	@Test
	void theRpcHealthIndicatorCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("management.health.rpc.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("rpcHealthIndicator"));
	}

	@Test
	void anApplicationWithoutAServletWebServerGetsNoServer() {
		new ApplicationContextRunner().withUserConfiguration(AutoConfigured.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(MethodRegistry.class)
				.doesNotHaveBean(Broker.class)
				.doesNotHaveBean("wsrpcSecurityFilterChain"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class AutoConfigured {

	}

	@Configuration(proxyBeanMethods = false)
	static class Methods {

		@Bean
		Greeter greeter() {
			return new Greeter();
		}

	}

	static class Greeter {

		@RpcMethod("greet")
		public String greet(String name) {
			return "Hello, " + name + "!";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBroker {

		@Bean
		NoBroker noBroker() {
			return new NoBroker();
		}

	}

	static class NoBroker implements Broker {

		@Override
		public int publish(String topic, String dataJson) {
			return 0;
		}

		@Override
		public Subscribed subscribe(EventSink sink, String topic, @Nullable Since since) {
			throw new UnsupportedOperationException();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnChain {

		@Bean
		SecurityFilterChain wsrpcSecurityFilterChain(HttpSecurity http) {
			return http.securityMatcher("/ws").build();
		}

	}

}
