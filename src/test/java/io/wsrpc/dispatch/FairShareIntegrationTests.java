package io.wsrpc.dispatch;

import java.time.Duration;
import java.util.ArrayList;
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
 * The documented defaults: 128 calls per connection, 512 on the server (the JDK 17 task
 * pool's size), the last 128 held back for connections with fewer than 16 calls running.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(TestMethods.Config.class)
class FairShareIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meterRegistry;

	@Test
	void fourConnectionsWith128LongCallsEachLeaveAnotherClientsCallRunningAtOnce() {
		double inFlight = inFlight();
		List<TestClient> greedy = new ArrayList<>();
		try (TestClient light = TestClient.connect(this.port, "/ws")) {
			for (int c = 0; c < 4; c++) {
				TestClient client = TestClient.connect(this.port, "/ws");
				greedy.add(client);
				for (int i = 0; i < 128; i++) {
					client.send("""
							{"request_id": %d, "action": "sleep", "params": {"ms": 10000}}""".formatted(i));
				}
			}
			// the four take every place but the 128 held back
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(inFlight()).isGreaterThanOrEqualTo(inFlight + 512 - 128));

			assertThat(light.call("""
					{"request_id": "s", "action": "sleep", "params": {"ms": 1}}""")).isEqualTo(json("""
					{"request_id": "s", "status": "ok", "result": 1}"""));
		}
		finally {
			greedy.forEach(TestClient::close);
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(inFlight()).isEqualTo(inFlight));
	}

	private double inFlight() {
		return this.meterRegistry.get("rpc.server.calls.in-flight").gauge().value();
	}

}
