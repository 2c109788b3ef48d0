package io.wsrpc.transport;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Reads replies with a plain, lenient-limits mapper, independent of the server's.
 */
final class ReplyShape {

	private static final JsonMapper mapper = JsonMapper
		.builder(JsonFactory.builder()
			.streamReadConstraints(
					StreamReadConstraints.builder().maxNumberLength(100_000).maxNestingDepth(100_000).build())
			.build())
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	private ReplyShape() {
	}

	/**
	 * Reads one reply, failing if it is not exactly one JSON value.
	 * @param reply the reply's text
	 * @return the value
	 */
	static JsonNode read(String reply) {
		try {
			JsonNode node = mapper.readTree(reply);
			assertThat(node).as("reply %s", reply).isNotNull();
			assertThat(node.isMissingNode()).as("reply %s is empty", reply).isFalse();
			return node;
		}
		catch (JacksonException ex) {
			return fail("Reply is not JSON: %s (%s)", reply, ex.getOriginalMessage());
		}
	}

}
