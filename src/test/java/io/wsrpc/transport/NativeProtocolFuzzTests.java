package io.wsrpc.transport;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@code /ws} from text frame to reply: decode, dispatch to the demo and test
 * methods, encode. Without {@code JAZZER_FUZZ} it replays the inputs under
 * {@code NativeProtocolFuzzTestsInputs}; with it, Jazzer fuzzes for the configured time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NativeProtocolFuzzTests {

	private final InProcessServer server = new InProcessServer();

	@FuzzTest(maxDuration = "10s")
	@DictionaryEntries({ "\"request_id\"", "\"action\"", "\"params\"", "\"add_numbers\"", "\"multiply_numbers\"",
			"\"echo\"", "\"ping\"", "\"reverse\"", "\"sleep\"", "\"message\"", "\"text\"", "\"ms\"", "\"rpc.discover\"",
			"\"test.nothing\"", "\"test.not_found\"", "\"test.explode\"", "\"test.later\"", "\"test.fail_later\"",
			"\"test.greet\"", "\"test.register\"", "\"test.flag\"", "\"person\"", "\"tags\"", "\"name\"", "\"age\"",
			"\"greeting\"", "\"times\"", "\"value\"", "\"id\"", "\\ud800", "1e2000", "null", "true" })
	void everyFrameGetsExactlyOneWellFormedReply(byte[] input) {
		String frame = new String(input, StandardCharsets.UTF_8);
		List<String> replies = this.server.sendNative(frame);

		assertThat(replies).as("replies to %s", frame).hasSize(1);
		JsonNode reply = ReplyShape.read(replies.get(0));
		assertThat(reply.isObject()).as("reply %s is an object", reply).isTrue();
		assertThat(reply.size()).as("members of %s", reply).isEqualTo(3);
		assertThat(reply.has("request_id")).as("reply %s has request_id", reply).isTrue();
		JsonNode requestId = reply.get("request_id");
		if (!requestId.isNull()) {
			JsonNode sent = ReplyShape.readOrNull(frame);
			assertThat(sent).as("frame %s is JSON", frame).isNotNull();
			assertThat(requestId).as("request_id of %s", reply).isEqualTo(sent.get("request_id"));
		}
		assertThat(reply.path("status").isString()).as("status of %s", reply).isTrue();
		String status = reply.get("status").asString();
		if (status.equals("ok")) {
			assertThat(reply.has("result")).as("reply %s has result", reply).isTrue();
			assertThat(requestId.isNull()).as("reply %s to a call has its id", reply).isFalse();
		}
		else {
			assertThat(status).as("status of %s", reply).isEqualTo("error");
			JsonNode error = reply.path("error");
			assertThat(error.isObject()).as("error of %s", reply).isTrue();
			assertThat(error.path("code").isString()).as("error.code of %s", reply).isTrue();
			assertThat(error.path("message").isString()).as("error.message of %s", reply).isTrue();
		}
	}

	@AfterAll
	void stopServer() {
		this.server.close();
	}

}
