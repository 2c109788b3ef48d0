package io.wsrpc.transport;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.wsrpc.WsrpcProperties;
import io.wsrpc.dispatch.CallBudget;
import io.wsrpc.dispatch.Dispatcher;
import io.wsrpc.protocol.RpcJson;
import io.wsrpc.protocol.jsonrpc.JsonRpcCodec;
import io.wsrpc.protocol.ws.NativeCodec;
import io.wsrpc.pubsub.Subscriptions;
import io.wsrpc.registry.MethodRegistry;
import jakarta.validation.Validator;

import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.jetty.autoconfigure.JettyServerProperties;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.socket.config.annotation.EnableWebSocket;

/**
 * Wires the server of any servlet application on Jetty that has wsrpc on its classpath:
 * the strict mapper, the codecs, the registry of every {@code @RpcMethod} bean, the
 * dispatcher, the two endpoints and their OpenRPC document over HTTP. Methods run on
 * Boot's {@code applicationTaskExecutor}: virtual threads on JDK 21+ with
 * {@code spring.threads.virtual.enabled}, Boot's pool otherwise.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.SERVLET)
@EnableConfigurationProperties(WsrpcProperties.class)
@EnableWebSocket
public final class WsrpcServerAutoConfiguration {

	@Bean
	RpcJson rpcJson() {
		return new RpcJson();
	}

	@Bean
	MethodRegistry methodRegistry(ListableBeanFactory beans, RpcJson json, ObjectProvider<BuildProperties> build) {
		BuildProperties info = build.getIfAvailable();
		String version = (info != null) ? info.getVersion() : "dev";
		return MethodRegistry.scan(beans, json, "wsrpc", (version != null) ? version : "dev",
				WebSocketEndpoints.SERVERS);
	}

	/**
	 * {@code GET /openrpc.json}: the document of {@code rpc.discover} over HTTP, for
	 * tools. Who may read it is the security chain's to say.
	 * @param registry the methods
	 * @param json the mapper that writes the document
	 * @return the route
	 */
	@Bean
	RouterFunction<ServerResponse> openRpcDocument(MethodRegistry registry, RpcJson json) {
		return RouterFunctions.route()
			.GET(WebSocketEndpoints.OPENRPC_PATH, new OpenRpcDocumentHandler(registry.discovery(), json))
			.build();
	}

	@Bean
	Dispatcher dispatcher(MethodRegistry registry, Validator validator, RpcJson json,
			@Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME) AsyncTaskExecutor executor,
			WsrpcProperties properties, ObservationRegistry observations, MeterRegistry meterRegistry) {
		return new Dispatcher(registry, validator, json, executor, properties.callTimeout(),
				new CallBudget(properties.maxInFlightTotal()), observations, meterRegistry);
	}

	@Bean
	Connections connections(WsrpcProperties properties, MeterRegistry meterRegistry, Subscriptions subscriptions) {
		return new Connections(properties, meterRegistry, subscriptions);
	}

	@Bean
	ShutdownDrain shutdownDrain(Dispatcher dispatcher, Connections connections, WsrpcProperties properties) {
		return new ShutdownDrain(dispatcher, connections, properties.shutdownTimeout());
	}

	@Bean
	NativeProtocolHandler nativeProtocolHandler(RpcJson json, Dispatcher dispatcher, Connections connections) {
		return new NativeProtocolHandler(new NativeCodec(json), dispatcher, connections);
	}

	@Bean
	JsonRpcProtocolHandler jsonRpcProtocolHandler(RpcJson json, Dispatcher dispatcher, Connections connections,
			WsrpcProperties properties) {
		return new JsonRpcProtocolHandler(new JsonRpcCodec(json, properties.maxBatchSize()), dispatcher, connections);
	}

	@Bean
	WebSocketEndpoints webSocketEndpoints(NativeProtocolHandler nativeHandler, JsonRpcProtocolHandler jsonRpcHandler,
			WsrpcProperties properties, ShutdownDrain drain, Connections connections) {
		return new WebSocketEndpoints(nativeHandler, jsonRpcHandler, properties, drain, connections);
	}

	@Bean
	ServerStatus serverStatus(ShutdownDrain drain, Connections connections, Dispatcher dispatcher) {
		return new ServerStatus(drain, connections, dispatcher);
	}

	/**
	 * Jetty reads and parses frames on platform threads on every JDK, though
	 * {@code spring.threads.virtual.enabled} gives methods virtual threads on 21+: a
	 * virtual thread is not preempted, so a few connections sending large messages would
	 * hold both carriers of a two-core box while they are parsed, and every other
	 * connection, and every handshake, would wait behind them.
	 * @param jetty Boot's {@code server.jetty.*} settings
	 * @return the customizer, applied after Boot's own
	 */
	@Bean
	WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> jettyOnPlatformThreads(JettyServerProperties jetty) {
		return new JettyOnPlatformThreads(jetty.getThreads());
	}

	@Bean
	Keepalive keepalive(Connections connections, WsrpcProperties properties) {
		return new Keepalive(connections, properties);
	}

}
