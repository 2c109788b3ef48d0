package io.wsrpc.transport;

import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.wsrpc.WsrpcProperties;
import io.wsrpc.dispatch.Dispatcher;
import io.wsrpc.protocol.RpcJson;
import io.wsrpc.protocol.jsonrpc.JsonRpcCodec;
import io.wsrpc.protocol.ws.NativeCodec;
import io.wsrpc.pubsub.Subscriptions;
import io.wsrpc.registry.MethodRegistry;
import io.wsrpc.support.TestMethods;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The server's message path without a network: the two protocol handlers, their codecs
 * and one {@link Dispatcher} over the demo and test methods, each handler with one
 * {@link RecordingSession}. Methods run on a small pool without a queue, as on JDK 17, so
 * a burst of calls also reaches the {@code overloaded} path. Logging below {@code ERROR}
 * is off while it is open, so that fuzzing is not slowed down by one log line per call.
 * Send frames from one thread at a time.
 */
final class InProcessServer implements AutoCloseable {

	/**
	 * How long a call may run; a reply that takes longer than this and a margin fails.
	 */
	static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

	static final int MAX_BATCH_SIZE = 1000;

	private static final Duration REPLY_MARGIN = Duration.ofSeconds(3);

	private final Level rootLevel;

	private final GenericApplicationContext context = new GenericApplicationContext();

	private final ValidatorFactory validation = Validation.buildDefaultValidatorFactory();

	private final ThreadPoolExecutor pool;

	private final Connections connections;

	private final Dispatcher dispatcher;

	private final NativeProtocolHandler nativeHandler;

	private final JsonRpcProtocolHandler jsonRpcHandler;

	private final RecordingSession nativeSession = new RecordingSession("native");

	private final RecordingSession jsonRpcSession = new RecordingSession("jsonrpc");

	InProcessServer() {
		Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		this.rootLevel = root.getLevel();
		root.setLevel(Level.ERROR);
		// DemoMethods is package-private in io.wsrpc.demo, so it is registered by name
		this.context.registerBeanDefinition("demoMethods", new RootBeanDefinition("io.wsrpc.demo.DemoMethods"));
		this.context.registerBean("testMethods", TestMethods.class);
		this.context.refresh();
		RpcJson json = new RpcJson();
		MethodRegistry registry = MethodRegistry.scan(this.context, json, "wsrpc", "fuzz");
		this.pool = new ThreadPoolExecutor(4, 64, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), (task) -> {
			Thread thread = new Thread(task, "rpc-fuzz");
			thread.setDaemon(true);
			return thread;
		});
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		this.dispatcher = new Dispatcher(registry, this.validation.getValidator(), json,
				new TaskExecutorAdapter(this.pool), CALL_TIMEOUT, ObservationRegistry.NOOP, meters);
		// the documented defaults, but no rate limit: the fuzzer sends far faster than
		// any client
		WsrpcProperties properties = new Binder(new MapConfigurationPropertySource(
				Map.of("wsrpc.rate-limit.enabled", "false", "wsrpc.max-batch-size", Integer.toString(MAX_BATCH_SIZE))))
			.bindOrCreate("wsrpc", WsrpcProperties.class);
		this.connections = new Connections(properties, meters, new Subscriptions(10));
		this.nativeHandler = new NativeProtocolHandler(new NativeCodec(json), this.dispatcher, this.connections);
		this.jsonRpcHandler = new JsonRpcProtocolHandler(new JsonRpcCodec(json, MAX_BATCH_SIZE), this.dispatcher,
				this.connections);
		this.nativeHandler.afterConnectionEstablished(this.nativeSession);
		this.jsonRpcHandler.afterConnectionEstablished(this.jsonRpcSession);
	}

	/**
	 * Sends one text frame to {@code /ws}.
	 * @param frame the frame's text
	 * @return every reply sent once each call the frame started has ended
	 */
	List<String> sendNative(String frame) {
		return exchange(this.nativeHandler, this.nativeSession, frame);
	}

	/**
	 * Sends one text frame to {@code /jsonrpc}.
	 * @param frame the frame's text
	 * @return every reply sent once each call the frame started has ended
	 */
	List<String> sendJsonRpc(String frame) {
		return exchange(this.jsonRpcHandler, this.jsonRpcSession, frame);
	}

	/**
	 * Hands the frame to the handler and waits until no call is running. The dispatcher
	 * counts a call before the handler returns and sends its reply before it stops
	 * counting it, so every reply the frame will ever get has been sent by then.
	 */
	private List<String> exchange(RpcWebSocketHandler handler, RecordingSession session, String frame) {
		handler.handleTextMessage(session, new TextMessage(frame));
		long deadline = System.nanoTime() + CALL_TIMEOUT.plus(REPLY_MARGIN).toNanos();
		while (this.dispatcher.inFlight() > 0) {
			if (System.nanoTime() - deadline > 0) {
				fail("Calls still running %s after the frame was sent; replies so far: %s",
						CALL_TIMEOUT.plus(REPLY_MARGIN), session.takeSent());
			}
			LockSupport.parkNanos(20_000);
		}
		CloseStatus closed = session.closeStatus();
		assertThat(closed).as("how the server closed the connection").isNull();
		return session.takeSent();
	}

	@Override
	public void close() {
		this.dispatcher.close();
		this.connections.close();
		this.pool.shutdownNow();
		this.validation.close();
		this.context.close();
		((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(this.rootLevel);
	}

}
