package io.wsrpc.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * Fuzzes {@code /jsonrpc} from text frame to response: decode, dispatch to the demo and
 * test methods, encode, and Jetty's send. What each frame must get back is decided here,
 * from the JSON-RPC 2.0 specification and docs/protocol.md, with none of the server's
 * code: a parse error, a single response, nothing for a notification, or an array with
 * one response for each request of a batch that is not a notification. Without
 * {@code JAZZER_FUZZ} it replays the inputs under {@code JsonRpcProtocolFuzzTestsInputs};
 * with it, Jazzer fuzzes for the configured time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonRpcProtocolFuzzTests {

	private static final int PARSE_ERROR = -32700;

	private static final int INVALID_REQUEST = -32600;

	/** The most values the params of one call may hold, from docs/protocol.md. */
	private static final int MAX_PARAMS = 1000;

	private final InProcessServer server = new InProcessServer();

	@FuzzTest(maxDuration = "10s")
	@DictionaryEntries({ "\"jsonrpc\"", "\"2.0\"", "\"method\"", "\"params\"", "\"id\"", "\"add_numbers\"",
			"\"multiply_numbers\"", "\"echo\"", "\"ping\"", "\"reverse\"", "\"sleep\"", "\"message\"", "\"text\"",
			"\"ms\"", "\"rpc.discover\"", "\"test.nothing\"", "\"test.not_found\"", "\"test.explode\"",
			"\"test.later\"", "\"test.fail_later\"", "\"test.greet\"", "\"test.register\"", "\"test.flag\"",
			"\"person\"", "\"tags\"", "\"name\"", "\"age\"", "\"greeting\"", "\"times\"", "\"value\"", "\\ud800",
			"1e2000", "null", "true" })
	void everyRequestGetsOneWellFormedResponseAndNotificationsNone(byte[] input) {
		String frame = new String(input, StandardCharsets.UTF_8);
		List<String> replies = this.server.sendJsonRpc(frame);

		JsonNode sent = DocumentedJson.read(frame);
		if (sent == null) {
			assertSingleResponse(frame, replies, Expected.error(NullNode.getInstance(), PARSE_ERROR));
		}
		else if (sent.isArray() && (sent.isEmpty() || sent.size() > InProcessServer.MAX_BATCH_SIZE)) {
			assertSingleResponse(frame, replies, Expected.error(NullNode.getInstance(), INVALID_REQUEST));
		}
		else if (sent.isArray()) {
			List<Expected> expected = new ArrayList<>();
			for (JsonNode request : sent) {
				Expected response = expect(request);
				if (response != null) {
					expected.add(response);
				}
			}
			if (expected.isEmpty()) {
				assertThat(replies).as("replies to batch %s, all notifications", frame).isEmpty();
				return;
			}
			assertThat(replies).as("replies to batch %s", frame).hasSize(1);
			JsonNode batch = ReplyShape.read(replies.get(0));
			assertThat(batch.isArray()).as("reply %s to batch %s is an array", batch, frame).isTrue();
			assertThat(batch.size()).as("responses in %s to batch %s", batch, frame).isEqualTo(expected.size());
			for (int i = 0; i < expected.size(); i++) {
				assertResponse(batch.get(i), expected.get(i));
			}
		}
		else {
			Expected response = expect(sent);
			if (response == null) {
				assertThat(replies).as("replies to notification %s", frame).isEmpty();
			}
			else {
				assertSingleResponse(frame, replies, response);
			}
		}
	}

	/**
	 * The response the specification and docs/protocol.md call for.
	 * @param request one request object, or one element of a batch
	 * @return the response, or {@code null} for a notification: a request object without
	 * an {@code id} member, which gets no response whether it runs or not
	 */
	private static @Nullable Expected expect(JsonNode request) {
		if (!request.isObject()) {
			return Expected.error(NullNode.getInstance(), INVALID_REQUEST);
		}
		JsonNode id = request.get("id");
		if (id != null && !id.isString() && !id.isNumber() && !id.isNull()) {
			return Expected.error(NullNode.getInstance(), INVALID_REQUEST);
		}
		if (id != null && (id.isString() && id.asString().codePointCount(0, id.asString().length()) > 128
				|| id.isNumber() && id.asString().length() > 128)) {
			return Expected.error(NullNode.getInstance(), INVALID_REQUEST);
		}
		JsonNode echoed = (id != null) ? id : NullNode.getInstance();
		JsonNode version = request.path("jsonrpc");
		JsonNode params = request.path("params");
		if (!version.isString() || !version.asString().equals("2.0") || !request.path("method").isString()
				|| !(params.isMissingNode() || params.isObject() || params.isArray())) {
			return Expected.error(echoed, INVALID_REQUEST);
		}
		if (id == null) {
			return null;
		}
		if (params.size() > MAX_PARAMS) {
			return Expected.error(echoed, INVALID_REQUEST);
		}
		return Expected.call(echoed);
	}

	private static void assertSingleResponse(String frame, List<String> replies, Expected expected) {
		assertThat(replies).as("replies to %s", frame).hasSize(1);
		assertResponse(ReplyShape.read(replies.get(0)), expected);
	}

	private static void assertResponse(JsonNode response, Expected expected) {
		assertWellFormed(response);
		assertThat(response.get("id")).as("id of %s", response).isEqualTo(expected.id());
		Integer code = expected.code();
		if (code != null) {
			assertThat(response.path("error").path("code").asInt()).as("error.code of %s", response).isEqualTo(code);
		}
		else if (response.has("error")) {
			assertThat(response.get("error").get("code").asInt()).as("error.code of %s to a call", response)
				.isNotIn(PARSE_ERROR, INVALID_REQUEST);
		}
	}

	private static void assertWellFormed(JsonNode response) {
		assertThat(response.isObject()).as("response %s is an object", response).isTrue();
		assertThat(response.size()).as("members of %s", response).isEqualTo(3);
		assertThat(response.path("jsonrpc").isString() && response.get("jsonrpc").asString().equals("2.0"))
			.as("jsonrpc of %s", response)
			.isTrue();
		JsonNode id = response.path("id");
		assertThat(id.isNull() || id.isString() || id.isNumber()).as("id of %s", response).isTrue();
		if (response.has("error")) {
			JsonNode error = response.get("error");
			assertThat(error.isObject()).as("error of %s", response).isTrue();
			assertThat(error.path("code").isInt()).as("error.code of %s", response).isTrue();
			assertThat(error.path("message").isString()).as("error.message of %s", response).isTrue();
		}
		else {
			assertThat(response.has("result")).as("response %s has result or error", response).isTrue();
		}
	}

	@AfterAll
	void stopServer() {
		this.server.close();
	}

	/**
	 * One response a frame must get.
	 *
	 * @param id the id it must carry
	 * @param code the error code it must carry, or {@code null} for a call that ran: its
	 * response has a result or any error but a parse error or an invalid request
	 */
	private record Expected(JsonNode id, @Nullable Integer code) {

		static Expected error(JsonNode id, int code) {
			return new Expected(id, code);
		}

		static Expected call(JsonNode id) {
			return new Expected(id, null);
		}

	}

}
