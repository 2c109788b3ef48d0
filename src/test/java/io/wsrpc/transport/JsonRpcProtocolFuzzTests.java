package io.wsrpc.transport;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wsrpc.protocol.RpcJson;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@code /jsonrpc} from text frame to response: decode, dispatch to the demo and
 * test methods, encode. Without {@code JAZZER_FUZZ} it replays the inputs under
 * {@code JsonRpcProtocolFuzzTestsInputs}; with it, Jazzer fuzzes for the configured time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonRpcProtocolFuzzTests {

	private final RpcJson json = new RpcJson();

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

		JsonNode sent = readAsServer(frame);
		if (sent != null && sent.isArray() && !sent.isEmpty() && sent.size() <= InProcessServer.MAX_BATCH_SIZE) {
			int answered = 0;
			for (JsonNode request : sent) {
				answered += isNotification(request) ? 0 : 1;
			}
			if (answered == 0) {
				assertThat(replies).as("replies to a batch of notifications %s", frame).isEmpty();
				return;
			}
			assertThat(replies).as("replies to batch %s", frame).hasSize(1);
			JsonNode batch = ReplyShape.read(replies.get(0));
			assertThat(batch.isArray()).as("reply %s to batch %s is an array", batch, frame).isTrue();
			assertThat(batch.size()).as("responses in %s to batch %s", batch, frame).isEqualTo(answered);
			for (JsonNode response : batch) {
				assertWellFormed(response);
			}
			return;
		}
		if (sent != null && isNotification(sent)) {
			assertThat(replies).as("replies to notification %s", frame).isEmpty();
			return;
		}
		assertThat(replies).as("replies to %s", frame).hasSize(1);
		JsonNode response = ReplyShape.read(replies.get(0));
		assertWellFormed(response);
		if (!response.get("id").isNull()) {
			JsonNode client = ReplyShape.readOrNull(frame);
			assertThat(client).as("frame %s is JSON", frame).isNotNull();
			assertThat(response.get("id")).as("id of %s", response).isEqualTo(client.get("id"));
		}
	}

	private @Nullable JsonNode readAsServer(String frame) {
		try {
			return this.json.readTree(frame);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * A notification in the words of JSON-RPC 2.0: a valid request without an id member.
	 */
	private static boolean isNotification(JsonNode request) {
		if (!request.isObject() || request.has("id")) {
			return false;
		}
		JsonNode version = request.path("jsonrpc");
		JsonNode params = request.path("params");
		return version.isString() && version.asString().equals("2.0") && request.path("method").isString()
				&& (params.isMissingNode() || params.isObject() || params.isArray());
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

}
