package io.wsrpc.transport;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@code /ws} from text frame to reply: decode, dispatch to the demo and test
 * methods, encode, and Jetty's send. Every frame gets exactly one reply; which
 * {@code request_id} it carries and whether it must be a {@code parse_error} or an
 * {@code invalid_request} is decided here, from docs/protocol.md, with none of the
 * server's code. Without {@code JAZZER_FUZZ} it replays the inputs under
 * {@code NativeProtocolFuzzTestsInputs}; with it, Jazzer fuzzes for the configured time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NativeProtocolFuzzTests {

	/** The longest string request id, in Unicode code points, from docs/protocol.md. */
	private static final int MAX_REQUEST_ID_LENGTH = 128;

	/** The most values the params of one call may hold, from docs/protocol.md. */
	private static final int MAX_PARAMS = 1000;

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

		Expected expected = expect(DocumentedJson.read(frame));
		assertThat(replies).as("replies to %s", frame).hasSize(1);
		JsonNode reply = ReplyShape.read(replies.get(0));
		assertThat(reply.isObject()).as("reply %s is an object", reply).isTrue();
		assertThat(reply.size()).as("members of %s", reply).isEqualTo(3);
		assertThat(reply.get("request_id")).as("request_id of %s to %s", reply, frame).isEqualTo(expected.requestId());
		assertThat(reply.path("status").isString()).as("status of %s", reply).isTrue();
		String status = reply.get("status").asString();
		if (status.equals("ok")) {
			assertThat(reply.has("result")).as("reply %s has result", reply).isTrue();
			assertThat(expected.code()).as("the error %s is for, not %s", frame, reply).isNull();
		}
		else {
			assertThat(status).as("status of %s", reply).isEqualTo("error");
			JsonNode error = reply.path("error");
			assertThat(error.isObject()).as("error of %s", reply).isTrue();
			assertThat(error.path("code").isString()).as("error.code of %s", reply).isTrue();
			assertThat(error.path("message").isString()).as("error.message of %s", reply).isTrue();
			String code = error.get("code").asString();
			if (expected.code() != null) {
				assertThat(code).as("error.code of %s to %s", reply, frame).isEqualTo(expected.code());
			}
			else {
				assertThat(code).as("error.code of %s to a call", reply).isNotIn("parse_error", "invalid_request");
			}
		}
	}

	/**
	 * The reply docs/protocol.md calls for.
	 * @param sent the frame as JSON, or {@code null} if it must get a parse error
	 * @return the reply
	 */
	private static Expected expect(@Nullable JsonNode sent) {
		if (sent == null) {
			return new Expected(NullNode.getInstance(), "parse_error");
		}
		JsonNode requestId = sent.path("request_id");
		if (!sent.isObject() || !(requestId.isIntegralNumber() && requestId.asString().length() <= MAX_REQUEST_ID_LENGTH
				|| requestId.isString() && !requestId.asString().isEmpty() && requestId.asString()
					.codePointCount(0, requestId.asString().length()) <= MAX_REQUEST_ID_LENGTH)) {
			return new Expected(NullNode.getInstance(), "invalid_request");
		}
		JsonNode params = sent.path("params");
		if (!sent.path("action").isString() || !(params.isMissingNode() || params.isObject() || params.isArray())
				|| params.size() > MAX_PARAMS) {
			return new Expected(requestId, "invalid_request");
		}
		return new Expected(requestId, null);
	}

	@AfterAll
	void stopServer() {
		this.server.close();
	}

	/**
	 * The reply a frame must get.
	 *
	 * @param requestId the request_id it must carry
	 * @param code the error code it must carry, or {@code null} for a call that ran: its
	 * reply is a success or any error but a parse error or an invalid request
	 */
	private record Expected(JsonNode requestId, @Nullable String code) {

	}

}
