package io.wsrpc.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.registry.MethodRegistry;
import io.wsrpc.transport.ServerStatus;
import io.wsrpc.transport.WsrpcServerAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * What Actuator shows of the server: the {@code rpc} endpoint, where it is exposed, and
 * the {@code rpc} health indicator, unless {@code management.health.rpc.enabled=false} or
 * the application has a bean of that name of its own.
 */
@AutoConfiguration(after = WsrpcServerAutoConfiguration.class)
@ConditionalOnBean(ServerStatus.class)
public final class WsrpcObservabilityAutoConfiguration {

	@Bean
	@ConditionalOnAvailableEndpoint(RpcEndpoint.class)
	@ConditionalOnMissingBean
	RpcEndpoint rpcEndpoint(MethodRegistry registry, MeterRegistry meters, ServerStatus status) {
		return new RpcEndpoint(registry, meters, status);
	}

	@Bean
	@ConditionalOnEnabledHealthIndicator("rpc")
	@ConditionalOnMissingBean(name = "rpcHealthIndicator")
	RpcHealthIndicator rpcHealthIndicator(ServerStatus status) {
		return new RpcHealthIndicator(status);
	}

}
