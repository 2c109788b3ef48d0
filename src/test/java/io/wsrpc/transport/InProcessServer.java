package io.wsrpc.transport;

import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.wsrpc.WsrpcProperties;
import io.wsrpc.dispatch.CallBudget;
import io.wsrpc.dispatch.Dispatcher;
import io.wsrpc.protocol.RpcJson;
import io.wsrpc.protocol.jsonrpc.JsonRpcCodec;
import io.wsrpc.protocol.ws.NativeCodec;
import io.wsrpc.pubsub.Subscriptions;
import io.wsrpc.registry.MethodRegistry;
import io.wsrpc.support.TestMethods;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.adapter.jetty.JettyWebSocketHandlerAdapter;
import org.springframework.web.socket.adapter.jetty.JettyWebSocketSession;
import org.springframework.web.socket.handler.ExceptionWebSocketHandlerDecorator;
import org.springframework.web.socket.handler.LoggingWebSocketHandlerDecorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The server's message path without a network: the two protocol handlers, their codecs
 * and one {@link Dispatcher} over the demo and test methods. Each handler is decorated as
 * Spring's request handler decorates it and reached through Spring's Jetty adapter and
 * session, over a {@link RecordingSession} in place of Jetty's, so replies take the same
 * path as on the real server: {@link Connection}'s asynchronous send to Jetty, with its
 * count of bytes waiting to be written. Methods run on a small pool without a queue, as
 * on JDK 17, so a burst of calls also reaches the {@code overloaded} path. Logging below
 * {@code ERROR} is off while it is open, so that fuzzing is not slowed down by one log
 * line per call. Send frames from one thread at a time.
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

	private final ExecutorService writer = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "fuzz-writer");
		thread.setDaemon(true);
		return thread;
	});

	private final WsrpcProperties properties;

	private final Connections connections;

	private final Dispatcher dispatcher;

	private final Client nativeClient;

	private final Client jsonRpcClient;

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
				new TaskExecutorAdapter(this.pool), CALL_TIMEOUT, new CallBudget(512), ObservationRegistry.NOOP,
				meters);
		// the documented defaults, but no rate limit: the fuzzer sends far faster than
		// any client
		this.properties = new Binder(new MapConfigurationPropertySource(
				Map.of("wsrpc.rate-limit.enabled", "false", "wsrpc.max-batch-size", Integer.toString(MAX_BATCH_SIZE))))
			.bindOrCreate("wsrpc", WsrpcProperties.class);
		this.connections = new Connections(this.properties, meters, new Subscriptions(10));
		this.nativeClient = new Client(WebSocketEndpoints.NATIVE_PATH,
				new NativeProtocolHandler(new NativeCodec(json), this.dispatcher, this.connections));
		this.jsonRpcClient = new Client(WebSocketEndpoints.JSON_RPC_PATH,
				new JsonRpcProtocolHandler(new JsonRpcCodec(json, MAX_BATCH_SIZE), this.dispatcher, this.connections));
	}

	/**
	 * Sends one text frame to {@code /ws}.
	 * @param frame the frame's text
	 * @return every reply written once each call the frame started has ended
	 */
	List<String> sendNative(String frame) {
		return this.nativeClient.exchange(frame);
	}

	/**
	 * Sends one text frame to {@code /jsonrpc}.
	 * @param frame the frame's text
	 * @return every reply written once each call the frame started has ended
	 */
	List<String> sendJsonRpc(String frame) {
		return this.jsonRpcClient.exchange(frame);
	}

	@Override
	public void close() {
		this.dispatcher.close();
		this.connections.close();
		this.pool.shutdownNow();
		this.writer.shutdownNow();
		this.validation.close();
		this.context.close();
		((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(this.rootLevel);
	}

	/**
	 * One connection to an endpoint, opened again when the server has closed it, so that
	 * one failing frame does not fail every frame after it.
	 */
	private final class Client {

		private final String path;

		private final WebSocketHandler handler;

		private RecordingSession jetty;

		private JettyWebSocketSession session;

		private JettyWebSocketHandlerAdapter adapter;

		Client(String path, RpcWebSocketHandler handler) {
			this.path = path;
			// what Spring's WebSocketHttpRequestHandler wraps every handler in
			this.handler = new ExceptionWebSocketHandlerDecorator(new LoggingWebSocketHandlerDecorator(handler));
			this.jetty = new RecordingSession(path, InProcessServer.this.writer);
			this.session = new JettyWebSocketSession(new ConcurrentHashMap<>());
			this.adapter = new JettyWebSocketHandlerAdapter(this.handler, this.session);
			this.adapter.onWebSocketOpen(this.jetty);
		}

		/**
		 * Hands the frame to the server as Jetty does and waits until no call is running
		 * and every reply has been written. The dispatcher counts a call before the
		 * handler returns and sends its reply before it stops counting it, so every reply
		 * the frame will ever get has been written by then.
		 */
		List<String> exchange(String frame) {
			if (!this.jetty.isOpen()) {
				this.adapter.onWebSocketClose(1000, null, Callback.NOOP);
				this.jetty = new RecordingSession(this.path, InProcessServer.this.writer);
				this.session = new JettyWebSocketSession(new ConcurrentHashMap<>());
				this.adapter = new JettyWebSocketHandlerAdapter(this.handler, this.session);
				this.adapter.onWebSocketOpen(this.jetty);
			}
			this.adapter.onWebSocketText(frame);
			long deadline = System.nanoTime() + CALL_TIMEOUT.plus(REPLY_MARGIN).toNanos();
			while (InProcessServer.this.dispatcher.inFlight() > 0 || this.jetty.unwritten() > 0) {
				if (System.nanoTime() - deadline > 0) {
					fail("Calls still running or replies unwritten %s after the frame was sent; written so far: %s",
							CALL_TIMEOUT.plus(REPLY_MARGIN), this.jetty.takeWritten());
				}
				LockSupport.parkNanos(20_000);
			}
			assertThat(this.jetty.closed()).as("how the server closed the connection").isNull();
			Connection connection = InProcessServer.this.connections.get(this.session);
			assertThat(connection).as("the open connection").isNotNull();
			long pastSendTimeLimit = System.nanoTime() + InProcessServer.this.properties.sendTimeLimit().toNanos()
					+ TimeUnit.SECONDS.toNanos(1);
			assertThat(connection.stalled(pastSendTimeLimit))
				.as("whether the connection counts bytes as waiting once every reply has been written")
				.isFalse();
			return this.jetty.takeWritten();
		}

	}

}
