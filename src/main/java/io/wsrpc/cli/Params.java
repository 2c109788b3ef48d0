package io.wsrpc.cli;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads params from the command line: one JSON object or array ({@code '{"a": 5}'} or
 * {@code '[5, 10]'}), or {@code name=value} pairs whose values are JSON where they parse
 * as JSON ({@code a=5}, {@code flag=true}, {@code tags=["x"]}) and strings otherwise
 * ({@code message=hello}).
 */
final class Params {

	private Params() {
	}

	static @Nullable JsonNode parse(JsonMapper mapper, List<String> args) {
		if (args.isEmpty()) {
			return null;
		}
		String first = args.get(0).trim();
		if (args.size() == 1 && (first.startsWith("{") || first.startsWith("["))) {
			try {
				return mapper.readTree(first);
			}
			catch (JacksonException ex) {
				throw new IllegalArgumentException("The params are not valid JSON: " + ex.getOriginalMessage());
			}
		}
		ObjectNode named = mapper.createObjectNode();
		for (String arg : args) {
			int equals = arg.indexOf('=');
			if (equals <= 0) {
				throw new IllegalArgumentException("'" + arg
						+ "' is not name=value; give params as name=value pairs or as one JSON object or array");
			}
			named.set(arg.substring(0, equals), value(mapper, arg.substring(equals + 1)));
		}
		return named;
	}

	private static JsonNode value(JsonMapper mapper, String text) {
		try {
			return mapper.readTree(text);
		}
		catch (JacksonException ex) {
			return mapper.getNodeFactory().stringNode(text);
		}
	}

}
