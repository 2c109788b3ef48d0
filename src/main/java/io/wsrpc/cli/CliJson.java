package io.wsrpc.cli;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON for the command line: numbers read exactly, output indented.
 */
final class CliJson {

	private final JsonMapper mapper = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	JsonMapper mapper() {
		return this.mapper;
	}

	String pretty(Object value) {
		return this.mapper.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
	}

	String compact(JsonNode value) {
		return this.mapper.writeValueAsString(value);
	}

}
