package io.wsrpc.transport;

import java.time.Duration;

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
 * What happens to a call that runs past its deadline. Same settings as
 * {@link LimitsIntegrationTests}, so the two share one server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "wsrpc.max-in-flight=2", "wsrpc.call-timeout=1s" })
@Import(TestMethods.Config.class)
class CallTimeoutIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private TestMethods methods;

	@Test
	void callPastTheDeadlineGetsTimeoutAndItsMethodThreadIsInterrupted() {
		int interruptedBefore = this.methods.interrupted();
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			assertThat(client.call("""
					{"request_id": "t", "action": "test.block", "params": {"ms": 60000}}""")).isEqualTo(json("""
					{"request_id": "t", "status": "error", "error": {"code": "timeout",
					 "message": "The call did not finish within 1000 ms; its result will be dropped."}}"""));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.methods.interrupted() == interruptedBefore + 1);
		}
	}

}
