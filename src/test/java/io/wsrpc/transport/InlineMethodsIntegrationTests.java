package io.wsrpc.transport;

import java.time.Duration;

import io.wsrpc.support.TestClient;
import io.wsrpc.support.TestMethods;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Methods that run on the thread that read the request. Same settings as
 * {@link LimitsIntegrationTests}, so the two share one server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "wsrpc.max-in-flight=2", "wsrpc.call-timeout=1s" })
@Import(TestMethods.Config.class)
class InlineMethodsIntegrationTests {

	@LocalServerPort
	private int port;

	@Test
	void completionStageOfAnInlineMethodGetsTheCallTimeoutAndItsLateResultIsDropped() throws InterruptedException {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			assertThat(client.call("""
					{"request_id": "soon", "action": "test.inline_later", "params": {"ms": 50}}""")).isEqualTo(json("""
					{"request_id": "soon", "status": "ok", "result": "done after 50"}"""));

			assertThat(client.call("""
					{"request_id": "late", "action": "test.inline_later", "params": {"ms": 2500}}"""))
				.isEqualTo(json("""
						{"request_id": "late", "status": "error", "error": {"code": "timeout",
						 "message": "The call did not finish within 1000 ms; its result will be dropped."}}"""));
			client.assertNoMessageWithin(Duration.ofMillis(2000));
			assertThat(client.call("""
					{"request_id": "after", "action": "ping"}""")).isEqualTo(json("""
					{"request_id": "after", "status": "ok", "result": "pong"}"""));
		}
	}

}
