package io.wsrpc.observability;

import io.wsrpc.transport.ServerStatus;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of the RPC endpoints: UP while they take connections, OUT_OF_SERVICE while
 * the server drains at shutdown, with the open connections and calls in flight. Part of
 * the readiness group, so a load balancer stops sending new clients during the drain.
 */
class RpcHealthIndicator implements HealthIndicator {

	private final ServerStatus status;

	RpcHealthIndicator(ServerStatus status) {
		this.status = status;
	}

	@Override
	public Health health() {
		return (this.status.isDraining() ? Health.outOfService() : Health.up())
			.withDetail("openConnections", this.status.openConnections())
			.withDetail("callsInFlight", this.status.callsInFlight())
			.build();
	}

}
