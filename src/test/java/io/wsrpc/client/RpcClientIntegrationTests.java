package io.wsrpc.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wsrpc.api.RpcMethod;
import io.wsrpc.protocol.Dialect;
import io.wsrpc.support.TestMethods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.InstanceOfAssertFactories.type;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(TestMethods.Config.class)
class RpcClientIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private TestMethods methods;

	@Autowired
	private MeterRegistry meterRegistry;

	private RpcClient connect(ClientOptions options) {
		return RpcClient.connect(URI.create("ws://localhost:" + this.port + "/ws"), options);
	}

	@Test
	void callCompletesWithTheTypedResult() {
		try (RpcClient client = connect(ClientOptions.defaults())) {
			assertThat(client.call("add_numbers", Map.of("a", 5, "b", 10), Integer.class).join()).isEqualTo(15);
			assertThat(client.call("multiply_numbers", List.of(6, 7), Long.class).join()).isEqualTo(42L);
			assertThat(client.call("ping", null, String.class).join()).isEqualTo("pong");
			assertThat(client.call("test.nothing", null, Void.class).join()).isNull();
		}
	}

	@Test
	void manyCallsInFlightOnOneConnectionEachGetTheirOwnReply() {
		try (RpcClient client = connect(ClientOptions.defaults())) {
			List<CompletableFuture<Integer>> calls = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				calls.add(client.call("add_numbers", List.of(i, 1000), Integer.class));
			}
			for (int i = 0; i < 100; i++) {
				assertThat(calls.get(i).join()).isEqualTo(i + 1000);
			}
		}
	}

	@Test
	void errorReplyFailsTheCallWithCodeMessageAndDetails() {
		try (RpcClient client = connect(ClientOptions.defaults())) {
			assertThatExceptionOfType(java.util.concurrent.CompletionException.class)
				.isThrownBy(() -> client.call("test.not_found", Map.of("id", "42"), String.class).join())
				.havingCause()
				.asInstanceOf(type(RpcCallException.class))
				.satisfies((ex) -> {
					assertThat(ex.code()).isEqualTo("not_found");
					assertThat(ex.error().message()).isEqualTo("No item has id '42'.");
					assertThat(ex.details()).isEqualTo(json("{\"id\": \"42\"}"));
				});
		}
	}

	@Test
	void callWithoutAReplyInTimeFailsWithATimeout() {
		try (RpcClient client = connect(ClientOptions.defaults().withCallTimeout(Duration.ofMillis(200)))) {
			assertThatExceptionOfType(java.util.concurrent.CompletionException.class)
				.isThrownBy(() -> client.call("sleep", Map.of("ms", 2000), Long.class).join())
				.withCauseInstanceOf(RpcTimeoutException.class);
			assertThat(client.call("ping", null, String.class).join()).isEqualTo("pong");
		}
	}

	@Test
	void typedProxyCallsByAnnotatedNameAndParameterName() {
		try (RpcClient client = connect(ClientOptions.defaults())) {
			Calculator calculator = client.proxy(Calculator.class);
			assertThat(calculator.add(2, 3)).isEqualTo(5);
			assertThat(calculator.echo("hi")).isEqualTo("hi");
			assertThat(calculator.later(10).join()).isEqualTo("done after 10");
			assertThat(calculator.greet("Ada", List.of("a", "b"))).isEqualTo("Ada (0) [a, b]");
			assertThatExceptionOfType(RpcCallException.class).isThrownBy(() -> calculator.notFound("x"))
				.satisfies((ex) -> assertThat(ex.code()).isEqualTo("not_found"));
		}
	}

	@Test
	void jsonRpcIsAnOption() {
		try (RpcClient client = RpcClient.connect(URI.create("ws://localhost:" + this.port + "/jsonrpc"),
				ClientOptions.defaults().withDialect(Dialect.JSON_RPC))) {
			assertThat(client.call("add_numbers", Map.of("a", 1, "b", 2), Integer.class).join()).isEqualTo(3);
			assertThatExceptionOfType(java.util.concurrent.CompletionException.class)
				.isThrownBy(() -> client.call("no_such_method", null, String.class).join())
				.havingCause()
				.asInstanceOf(type(RpcCallException.class))
				.satisfies((ex) -> {
					assertThat(ex.code()).isEqualTo("method_not_found");
					assertThat(ex.error().jsonRpcCode()).isEqualTo(-32601);
				});
		}
	}

	@ParameterizedTest
	@EnumSource(Dialect.class)
	void cancellingTheFutureOfACallCancelsTheCallOnTheServer(Dialect dialect) {
		String path = (dialect == Dialect.JSON_RPC) ? "/jsonrpc" : "/ws";
		int interrupted = this.methods.interrupted();
		double cancelled = cancelledBlocks(dialect);
		try (RpcClient client = RpcClient.connect(URI.create("ws://localhost:" + this.port + path),
				ClientOptions.defaults().withDialect(dialect))) {
			int blocking = this.methods.blocking();
			CompletableFuture<Long> call = client.call("test.block", Map.of("ms", 20000), Long.class);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.methods.blocking()).isEqualTo(blocking + 1));

			assertThat(call.cancel(true)).isTrue();

			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(this.methods.interrupted()).isEqualTo(interrupted + 1);
				assertThat(cancelledBlocks(dialect)).isEqualTo(cancelled + 1);
			});
			assertThat(call).isCancelled();
			assertThat(client.call("ping", null, String.class).join()).isEqualTo("pong");
		}
	}

	private double cancelledBlocks(Dialect dialect) {
		Timer timer = this.meterRegistry.find("rpc.server.calls")
			.tags("method", "test.block", "outcome", "cancelled", "protocol", dialect.tag())
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

	@Test
	void connectingToANonWebSocketUrlFailsClearly() {
		assertThatExceptionOfType(RpcConnectionException.class)
			.isThrownBy(() -> RpcClient.connect(URI.create("ws://localhost:" + this.port + "/nothing-here")))
			.withMessageContaining("HTTP 4");
	}

	@Test
	void callsAfterCloseFailAtOnce() {
		RpcClient client = connect(ClientOptions.defaults());
		client.close();
		assertThatExceptionOfType(java.util.concurrent.CompletionException.class)
			.isThrownBy(() -> client.call("ping", null, String.class).join())
			.withCauseInstanceOf(RpcConnectionException.class);
	}

	/**
	 * A remote interface, as an application would write it.
	 */
	interface Calculator {

		@RpcMethod("add_numbers")
		int add(int a, int b);

		String echo(String message);

		@RpcMethod("test.later")
		CompletableFuture<String> later(long ms);

		@RpcMethod("test.register")
		String registerPerson(TestMethods.Person person, List<String> tags);

		default String greet(String name, List<String> tags) {
			return registerPerson(new TestMethods.Person(name, 0), tags);
		}

		@RpcMethod("test.not_found")
		String notFound(String id);

	}

}
