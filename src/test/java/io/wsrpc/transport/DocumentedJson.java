package io.wsrpc.transport;

import java.math.BigDecimal;
import java.math.BigInteger;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a frame as docs/protocol.md says the server must, with none of the server's code:
 * a plain Jackson parse of standard JSON with no limits of its own, then its "JSON
 * limits" checked on each token. A frame the server must answer with {@code parse_error}
 * (-32700) reads as {@code null}: text that is not exactly one JSON value (nothing, or
 * something after it, is not JSON either), a number of more than 1,000 digits, whose
 * exponent as written is beyond an {@code int}, or whose scale {@link BigDecimal} cannot
 * hold on JDK 17, or arrays and objects nested more than 500 deep. Decimals are read as
 * {@link BigDecimal}, so that an id compares equal to its echo only when its value and
 * scale came back as sent.
 */
final class DocumentedJson {

	/** The most digits a number may have, exponent included. */
	static final int MAX_DIGITS = 1000;

	/** The deepest arrays and objects may nest. */
	static final int MAX_DEPTH = 500;

	private static final JsonMapper mapper = JsonMapper
		.builder(JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder()
				.maxNumberLength(Integer.MAX_VALUE)
				.maxNestingDepth(Integer.MAX_VALUE)
				.maxNameLength(Integer.MAX_VALUE)
				.build())
			.build())
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	private DocumentedJson() {
	}

	/**
	 * Reads one frame.
	 * @param frame the frame's text
	 * @return its value, or {@code null} if the server must answer it with a parse error
	 */
	static @Nullable JsonNode read(String frame) {
		try {
			if (!isWithinLimits(frame)) {
				return null;
			}
			JsonNode node = mapper.readTree(frame);
			return (node == null || node.isMissingNode()) ? null : node;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static boolean isWithinLimits(String frame) {
		try (JsonParser parser = mapper.createParser(frame)) {
			int depth = 0;
			for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
				if (token.isStructStart() && ++depth > MAX_DEPTH) {
					return false;
				}
				if (token.isStructEnd()) {
					depth--;
				}
				if (token.isNumeric() && !isNumberWithinLimits(parser.getText())) {
					return false;
				}
			}
			return true;
		}
	}

	private static boolean isNumberWithinLimits(String number) {
		if (number.chars().filter((c) -> c >= '0' && c <= '9').count() > MAX_DIGITS) {
			return false;
		}
		int e = Math.max(number.indexOf('e'), number.indexOf('E'));
		if (e >= 0) {
			BigInteger exponent = new BigInteger(number.substring(e + 1));
			if (exponent.compareTo(BigInteger.valueOf(Integer.MIN_VALUE)) < 0
					|| exponent.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
				return false;
			}
		}
		try {
			// JDK 21+ holds a scale of Integer.MIN_VALUE, JDK 17 does not: the documented
			// limit is the narrower one
			return new BigDecimal(number).scale() != Integer.MIN_VALUE;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

}
