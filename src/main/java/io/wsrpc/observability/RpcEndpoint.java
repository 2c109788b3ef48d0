package io.wsrpc.observability;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wsrpc.registry.MethodRegistry;
import io.wsrpc.registry.Param;
import io.wsrpc.registry.RegisteredMethod;
import io.wsrpc.transport.ServerStatus;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/rpc}: every registered method with its params, bean, call and error
 * counts and latency, read from the {@code rpc.server.calls} timers; and the open
 * connections and calls in flight.
 */
@Endpoint(id = "rpc")
public class RpcEndpoint {

	private final MethodRegistry registry;

	private final MeterRegistry meters;

	private final ServerStatus status;

	RpcEndpoint(MethodRegistry registry, MeterRegistry meters, ServerStatus status) {
		this.registry = registry;
		this.meters = meters;
		this.status = status;
	}

	@ReadOperation
	public RpcReport report() {
		List<MethodReport> methods = this.registry.methods().stream().map(this::method).toList();
		return new RpcReport(methods, this.status.openConnections(), this.status.callsInFlight(),
				this.status.isDraining());
	}

	private MethodReport method(RegisteredMethod method) {
		long calls = 0;
		long errors = 0;
		double totalMillis = 0;
		double maxMillis = 0;
		for (Timer timer : this.meters.find("rpc.server.calls").tag("method", method.name()).timers()) {
			calls += timer.count();
			if (!"ok".equals(timer.getId().getTag("outcome"))) {
				errors += timer.count();
			}
			totalMillis += timer.totalTime(TimeUnit.MILLISECONDS);
			maxMillis = Math.max(maxMillis, timer.max(TimeUnit.MILLISECONDS));
		}
		List<String> params = method.params().stream().filter(Param::fromParams).map(Param::name).toList();
		return new MethodReport(method.name(), params, method.beanName(), List.copyOf(method.roles()), calls, errors,
				(calls > 0) ? totalMillis / calls : 0, maxMillis);
	}

	/**
	 * The report.
	 *
	 * @param methods every method, by name
	 * @param openConnections open connections on both endpoints
	 * @param callsInFlight calls running now
	 * @param draining whether the server is shutting down
	 */
	public record RpcReport(List<MethodReport> methods, int openConnections, int callsInFlight,
			boolean draining) implements OperationResponseBody {
	}

	/**
	 * One method.
	 *
	 * @param name the name clients call
	 * @param params the names of its params
	 * @param bean the bean it belongs to
	 * @param roles roles a caller needs, any one
	 * @param calls calls so far
	 * @param errors calls that ended in an error
	 * @param meanMillis mean latency in milliseconds
	 * @param maxMillis the highest latency in the timer's recent window, in milliseconds
	 */
	public record MethodReport(String name, List<String> params, String bean, List<String> roles, long calls,
			long errors, double meanMillis, double maxMillis) {
	}

}
