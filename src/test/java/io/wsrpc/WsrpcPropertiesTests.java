package io.wsrpc;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

class WsrpcPropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void defaultsAreTheDocumentedOnes() {
		this.contextRunner.run((context) -> {
			WsrpcProperties properties = context.getBean(WsrpcProperties.class);
			assertThat(properties.maxInFlight()).isEqualTo(128);
			assertThat(properties.maxInFlightTotal()).isEqualTo(512);
			assertThat(properties.callTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.maxMessageSize()).isEqualTo(DataSize.ofMegabytes(1));
			assertThat(properties.maxMessageSize().toBytes()).isEqualTo(1_048_576);
			assertThat(properties.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.demo().enabled()).isTrue();
		});
	}

	@Test
	void settingsBindFromKebabCaseProperties() {
		this.contextRunner
			.withPropertyValues("wsrpc.max-in-flight=8", "wsrpc.call-timeout=250ms", "wsrpc.max-message-size=64KB",
					"wsrpc.demo.enabled=false")
			.run((context) -> {
				WsrpcProperties properties = context.getBean(WsrpcProperties.class);
				assertThat(properties.maxInFlight()).isEqualTo(8);
				assertThat(properties.callTimeout()).isEqualTo(Duration.ofMillis(250));
				assertThat(properties.maxMessageSize()).isEqualTo(DataSize.ofKilobytes(64));
				assertThat(properties.demo().enabled()).isFalse();
			});
	}

	@Test
	void nonPositiveInFlightLimitStopsStartup() {
		this.contextRunner.withPropertyValues("wsrpc.max-in-flight=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("maxInFlight"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(WsrpcProperties.class)
	static class PropertiesConfiguration {

	}

}
