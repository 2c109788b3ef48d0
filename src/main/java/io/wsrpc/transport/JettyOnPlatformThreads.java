package io.wsrpc.transport;

import org.eclipse.jetty.util.thread.QueuedThreadPool;

import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.jetty.autoconfigure.JettyServerProperties;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Gives Jetty a pool of platform threads sized by {@code server.jetty.threads.*}, in
 * place of the virtual threads Boot gives it when {@code spring.threads.virtual.enabled}
 * is on; see {@link WsrpcServerAutoConfiguration#jettyOnPlatformThreads}.
 */
final class JettyOnPlatformThreads implements WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory>, Ordered {

	private final JettyServerProperties.Threads threads;

	JettyOnPlatformThreads(JettyServerProperties.Threads threads) {
		this.threads = threads;
	}

	@Override
	public void customize(ConfigurableJettyWebServerFactory factory) {
		QueuedThreadPool pool = new QueuedThreadPool(value(this.threads.getMax(), 200), value(this.threads.getMin(), 8),
				(this.threads.getIdleTimeout() != null) ? (int) this.threads.getIdleTimeout().toMillis() : 60_000);
		pool.setName("jetty");
		factory.setThreadPool(pool);
	}

	private static int value(Integer configured, int fallback) {
		return (configured != null) ? configured : fallback;
	}

	/**
	 * After Boot's customizers, the virtual-thread one included.
	 */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
