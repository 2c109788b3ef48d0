package io.wsrpc.dispatch;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.support.TestClient;
import io.wsrpc.support.TestMethods;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Four places per connection and ten on the server: the last three are held back for
 * connections with no call running, so connections that fill their limits get seven.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "wsrpc.max-in-flight=4", "wsrpc.max-in-flight-total=10" })
@Import(TestMethods.Config.class)
class CallBudgetIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String SERVER_FULL = "The server has 10 calls running; retry later.";

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meterRegistry;

	@Test
	void connectionsFillingTheirLimitsCannotStarveAnotherConnectionsCall() throws Exception {
		double inFlight = inFlight();
		try (TestClient first = connect(); TestClient second = connect(); TestClient light = connect()) {
			block(first, "a", 4, 4);
			block(second, "b", 4, 3);

			assertThat(second.nextMessage()).isEqualTo(
					json("""
							{"request_id": "b4", "status": "error", "error": {"code": "overloaded",
							"message": "The server is busy and this connection has 3 calls running; wait for their replies before sending more."}}"""));
			await().atMost(WAIT).untilAsserted(() -> assertThat(inFlight()).isEqualTo(inFlight + 7));
			assertThat(light.call("""
					{"request_id": "s", "action": "sleep", "params": {"ms": 1}}""")).isEqualTo(json("""
					{"request_id": "s", "status": "ok", "result": 1}"""));
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(inFlight()).isEqualTo(inFlight));
	}

	@Test
	void aCallBeyondTheServersTotalGetsOverloadedAtOnceAndRunsOnceAPlaceIsFree() throws Exception {
		double inFlight = inFlight();
		try (TestClient first = connect();
				TestClient second = connect();
				TestClient third = connect();
				TestClient fourth = connect();
				TestClient fifth = connect();
				TestClient late = connect()) {
			block(first, "a", 4, 4);
			block(second, "b", 3, 3);
			block(third, "c", 1, 1);
			block(fourth, "d", 1, 1);
			block(fifth, "e", 1, 1);
			await().atMost(WAIT).untilAsserted(() -> assertThat(inFlight()).isEqualTo(inFlight + 10));

			assertThat(late.call("""
					{"request_id": "s1", "action": "sleep", "params": {"ms": 1}}""")).isEqualTo(json("""
					{"request_id": "s1", "status": "error", "error": {"code": "overloaded", "message": "%s"}}"""
				.formatted(SERVER_FULL)));
			// an inline call holds no thread, so it needs no place in the server's budget
			assertThat(late.call("""
					{"request_id": "p", "action": "ping"}""")).isEqualTo(json("""
					{"request_id": "p", "status": "ok", "result": "pong"}"""));

			third.send("""
					{"request_id": "x", "action": "rpc.cancel", "params": {"request_id": "c1"}}""");
			assertThat(List.of(third.nextMessage(), third.nextMessage())).containsExactlyInAnyOrder(json("""
					{"request_id": "x", "status": "ok", "result": true}"""), json("""
					{"request_id": "c1", "status": "error", "error": {"code": "cancelled",
					"message": "The call was cancelled by its client."}}"""));
			assertThat(late.call("""
					{"request_id": "s2", "action": "sleep", "params": {"ms": 1}}""")).isEqualTo(json("""
					{"request_id": "s2", "status": "ok", "result": 1}"""));
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(inFlight()).isEqualTo(inFlight));
	}

	@Test
	void placesOfAClosedConnectionComeBackForOthers() {
		double inFlight = inFlight();
		try (TestClient first = connect(); TestClient second = connect(); TestClient late = connect()) {
			TestClient closing = connect();
			block(first, "a", 4, 4);
			block(second, "b", 3, 3);
			block(closing, "c", 1, 1);
			await().atMost(WAIT).untilAsserted(() -> assertThat(inFlight()).isEqualTo(inFlight + 8));

			closing.close();

			await().atMost(WAIT).untilAsserted(() -> assertThat(inFlight()).isEqualTo(inFlight + 7));
			// three light connections fill the held-back places again, and no more
			try (TestClient third = connect(); TestClient fourth = connect(); TestClient fifth = connect()) {
				block(third, "c", 1, 1);
				block(fourth, "d", 1, 1);
				block(fifth, "e", 1, 1);
				await().atMost(WAIT).untilAsserted(() -> assertThat(inFlight()).isEqualTo(inFlight + 10));
				assertThat(late.call("""
						{"request_id": "s", "action": "sleep", "params": {"ms": 1}}""")).isEqualTo(json("""
						{"request_id": "s", "status": "error", "error": {"code": "overloaded", "message": "%s"}}"""
					.formatted(SERVER_FULL)));
			}
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(inFlight()).isEqualTo(inFlight));
	}

	private TestClient connect() {
		return TestClient.connect(this.port, "/ws");
	}

	/**
	 * Sends blocking calls {@code prefix1} to {@code prefixN} and waits until the
	 * admitted ones run.
	 */
	private void block(TestClient client, String prefix, int calls, int admitted) {
		double before = inFlight();
		for (int i = 1; i <= calls; i++) {
			client.send("""
					{"request_id": "%s%d", "action": "test.block", "params": {"ms": 20000}}""".formatted(prefix, i));
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(inFlight()).isEqualTo(before + admitted));
	}

	private double inFlight() {
		return this.meterRegistry.get("rpc.server.calls.in-flight").gauge().value();
	}

}
