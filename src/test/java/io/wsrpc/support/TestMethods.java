package io.wsrpc.support;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.wsrpc.api.CallContext;
import io.wsrpc.api.RpcException;
import io.wsrpc.api.RpcMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Methods that exercise every path of the server, published beside the demo methods in
 * integration tests.
 */
public class TestMethods {

	private final AtomicInteger blocking = new AtomicInteger();

	private final AtomicInteger interrupted = new AtomicInteger();

	private final AtomicInteger laterStarted = new AtomicInteger();

	private final AtomicInteger laterCancelled = new AtomicInteger();

	private final AtomicInteger spinning = new AtomicInteger();

	private final AtomicInteger stoppedEarly = new AtomicInteger();

	@RpcMethod("test.nothing")
	public void nothing() {
	}

	@RpcMethod("test.not_found")
	public String notFound(String id) {
		throw new RpcException("not_found", "No item has id '" + id + "'.", Map.of("id", id));
	}

	@RpcMethod("test.unwritable_details")
	public String unwritableDetails() {
		throw new RpcException("bad_details", "Its details cannot be written.", new Unwritable());
	}

	@RpcMethod(value = "test.unwritable_details_inline", inline = true)
	public String unwritableDetailsInline() {
		return unwritableDetails();
	}

	@RpcMethod("test.explode")
	public String explode() {
		throw new IllegalStateException("secret internal detail");
	}

	@RpcMethod("test.later")
	public CompletableFuture<String> later(long ms) {
		this.laterStarted.incrementAndGet();
		CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> "done after " + ms,
				CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS));
		result.whenComplete((value, ex) -> {
			if (ex instanceof CancellationException) {
				this.laterCancelled.incrementAndGet();
			}
		});
		return result;
	}

	/**
	 * The {@code test.later} calls whose method ran so far.
	 * @return the count
	 */
	public int laterStarted() {
		return this.laterStarted.get();
	}

	/**
	 * The futures of {@code test.later} that were cancelled so far.
	 * @return the count
	 */
	public int laterCancelled() {
		return this.laterCancelled.get();
	}

	/**
	 * Works without blocking and ignores interruptions, stopping only when
	 * {@link CallContext#isCancelled()} says so (or after {@code ms}).
	 * {@link #stoppedEarly()} counts the calls that stopped because they were cancelled.
	 */
	@RpcMethod("test.spin")
	public boolean spin(CallContext context, long ms) {
		this.spinning.incrementAndGet();
		try {
			long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
			while (System.nanoTime() - end < 0) {
				if (context.isCancelled()) {
					this.stoppedEarly.incrementAndGet();
					return false;
				}
				Thread.interrupted();
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
			return true;
		}
		finally {
			this.spinning.decrementAndGet();
		}
	}

	/**
	 * The {@code test.spin} calls running now.
	 * @return the count
	 */
	public int spinning() {
		return this.spinning.get();
	}

	/**
	 * The {@code test.spin} calls that stopped because they were cancelled.
	 * @return the count
	 */
	public int stoppedEarly() {
		return this.stoppedEarly.get();
	}

	@RpcMethod("test.fail_later")
	public CompletableFuture<String> failLater() {
		return CompletableFuture.failedFuture(new RpcException("too_late", "It failed later.", null, 1234));
	}

	@RpcMethod("test.greet")
	public String greet(String name, Optional<String> greeting, @Nullable Integer times) {
		String line = greeting.orElse("Hello") + ", " + name;
		return (times != null) ? String.join(" ", java.util.Collections.nCopies(times, line)) : line;
	}

	@RpcMethod("test.register")
	public String register(@Valid Person person, List<@NotBlank String> tags) {
		return person.name() + " (" + person.age() + ") " + tags;
	}

	@RpcMethod(value = "test.admin_only", roles = "admin")
	public String adminOnly() {
		return "secret";
	}

	@RpcMethod("test.whoami")
	public String whoami(CallContext context, @Nullable Principal principal, String greeting) {
		return greeting + " " + ((principal != null) ? principal.getName() : "anonymous") + " "
				+ context.roles().stream().sorted().toList();
	}

	@RpcMethod("test.jitter")
	public String jitter() throws InterruptedException {
		if (java.util.concurrent.ThreadLocalRandom.current().nextInt(10) == 0) {
			Thread.sleep(50);
		}
		return "ok";
	}

	/**
	 * Blocks its thread, so a test can tell that a call the server gave up on was really
	 * stopped: {@link #interrupted()} counts the interruptions.
	 */
	@RpcMethod("test.block")
	public long block(long ms) throws InterruptedException {
		this.blocking.incrementAndGet();
		try {
			Thread.sleep(ms);
			return ms;
		}
		catch (InterruptedException ex) {
			this.interrupted.incrementAndGet();
			throw ex;
		}
		finally {
			this.blocking.decrementAndGet();
		}
	}

	/**
	 * The {@code test.block} calls blocking now.
	 * @return the count
	 */
	public int blocking() {
		return this.blocking.get();
	}

	/**
	 * The {@code test.block} calls that were interrupted so far.
	 * @return the count
	 */
	public int interrupted() {
		return this.interrupted.get();
	}

	@RpcMethod("test.thread")
	public String thread() {
		return Thread.currentThread().toString();
	}

	@RpcMethod(value = "test.inline_thread", inline = true)
	public String inlineThread() {
		return Thread.currentThread().toString();
	}

	@RpcMethod("test.flag")
	public boolean flag(boolean value) {
		return !value;
	}

	@RpcMethod(value = "test.inline_later", inline = true)
	public CompletableFuture<String> inlineLater(long ms) {
		return later(ms);
	}

	/**
	 * Details that Jackson cannot write: reading its one property throws.
	 */
	public static final class Unwritable {

		public String getValue() {
			throw new IllegalStateException("not writable");
		}

	}

	/**
	 * How deeply arrays and objects nest in a value: 0 for a scalar, 1 for {@code []}.
	 */
	@RpcMethod("test.depth")
	public int depth(JsonNode value) {
		int deepest = 0;
		for (JsonNode element : value) {
			deepest = Math.max(deepest, depth(element));
		}
		return (value.isContainer()) ? deepest + 1 : 0;
	}

	/**
	 * A person.
	 *
	 * @param name the name
	 * @param age the age
	 */
	public record Person(@NotBlank @Size(max = 20) String name, @Min(0) int age) {
	}

	/**
	 * Publishes {@link TestMethods} as a bean.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	public static class Config {

		@Bean
		TestMethods testMethods() {
			return new TestMethods();
		}

	}

}
