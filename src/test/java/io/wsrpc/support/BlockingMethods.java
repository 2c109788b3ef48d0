package io.wsrpc.support;

import java.util.concurrent.atomic.AtomicInteger;

import io.wsrpc.api.RpcMethod;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A method that blocks its thread and counts how often that thread was interrupted, so a
 * test can tell that a call the server gave up on was really stopped.
 */
public class BlockingMethods {

	private final AtomicInteger started = new AtomicInteger();

	private final AtomicInteger interrupted = new AtomicInteger();

	@RpcMethod("test.block")
	public long block(long ms) throws InterruptedException {
		this.started.incrementAndGet();
		try {
			Thread.sleep(ms);
			return ms;
		}
		catch (InterruptedException ex) {
			this.interrupted.incrementAndGet();
			throw ex;
		}
	}

	/**
	 * How many calls have started blocking.
	 * @return the count
	 */
	public int started() {
		return this.started.get();
	}

	/**
	 * How many blocked calls were interrupted.
	 * @return the count
	 */
	public int interrupted() {
		return this.interrupted.get();
	}

	/**
	 * Publishes {@link BlockingMethods} as a bean.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	public static class Config {

		@Bean
		BlockingMethods blockingMethods() {
			return new BlockingMethods();
		}

	}

}
