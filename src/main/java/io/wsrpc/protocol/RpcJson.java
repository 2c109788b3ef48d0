package io.wsrpc.protocol;

import java.math.BigDecimal;
import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonParserDelegate;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.type.LogicalType;

/**
 * The JSON mapper of the RPC layer, kept apart from Spring's so that its strictness
 * reaches no other part of the application. Numbers are read exactly (decimals as
 * {@code BigDecimal}, written back as sent), and binding never coerces: a string is not a
 * number, {@code 1.5} is not an integer, {@code null} is not a primitive, and an unknown
 * property of a record is an error. Thread-safe.
 */
public final class RpcJson {

	/** The most digits a number in a message may have. */
	public static final int MAX_NUMBER_DIGITS = 1000;

	/** The deepest a message may nest arrays and objects. */
	public static final int MAX_NESTING_DEPTH = 500;

	/** The most values the params of one call may hold. */
	public static final int MAX_PARAMS = 1000;

	/**
	 * The longest request id, in Unicode code points for a string and in characters as
	 * written for a number: no reply echoes a longer one.
	 */
	public static final int MAX_ID_LENGTH = 128;

	private final JsonMapper mapper;

	private final ObjectReader treeReader;

	public RpcJson() {
		JsonFactory factory = JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder()
				.maxNumberLength(MAX_NUMBER_DIGITS)
				.maxNestingDepth(MAX_NESTING_DEPTH)
				.build())
			.characterEscapes(new SurrogateEscapes())
			.build();
		this.mapper = JsonMapper.builder(factory)
			.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
					DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
					DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
			.enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
			.disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
			.withCoercionConfig(LogicalType.Textual,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Boolean,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Integer,
					(config) -> config.setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
			.build();
		this.treeReader = this.mapper.readerFor(JsonNode.class);
	}

	/**
	 * Reads a whole text as one JSON value.
	 * @param text the text
	 * @return the value
	 * @throws JacksonException if the text is not exactly one JSON value
	 */
	public JsonNode readTree(String text) {
		JsonNode node;
		try (JsonParser parser = new ExactDecimals(this.mapper.createParser(text))) {
			node = this.treeReader.readValue(parser);
		}
		catch (NumberFormatException ex) {
			// a number whose exponent BigDecimal cannot hold, such as 1e2147483648
			throw new StreamConstraintsException("A number exceeds the limits of BigDecimal");
		}
		if (node == null || node.isMissingNode()) {
			throw new StreamReadException(null, "No JSON value in the message");
		}
		return node;
	}

	/**
	 * Says why a text could not be read, for the client.
	 * @param ex what {@link #readTree} threw
	 * @return a sentence for a person
	 */
	public static String parseErrorMessage(JacksonException ex) {
		if (ex instanceof StreamConstraintsException) {
			return "The message is beyond this server's JSON limits: numbers of at most " + MAX_NUMBER_DIGITS
					+ " digits, nesting at most " + MAX_NESTING_DEPTH + " levels deep.";
		}
		return "The message is not valid JSON.";
	}

	/**
	 * Whether a request id is within {@link #MAX_ID_LENGTH}.
	 * @param id a string or number node
	 * @return {@code true} if a reply may echo it
	 */
	public static boolean isShortEnoughId(JsonNode id) {
		String text = id.asString();
		return text.length() <= MAX_ID_LENGTH || id.isString() && text.length() <= 2 * MAX_ID_LENGTH
				&& text.codePointCount(0, text.length()) <= MAX_ID_LENGTH;
	}

	/**
	 * Writes a value as JSON text.
	 * @param value any value Jackson can write
	 * @return the text
	 * @throws JacksonException if the value cannot be written
	 */
	public String write(Object value) {
		if (value instanceof String text && isPlain(text)) {
			return '"' + text + '"';
		}
		if (value instanceof BigDecimal || value instanceof Integer || value instanceof Long
				|| value instanceof Boolean) {
			// what Jackson writes for them, without a generator
			return value.toString();
		}
		if (value instanceof JsonNode node
				&& (node.isIntegralNumber() || node.isString() && isPlain(node.asString()))) {
			// asString() of an integral node is its digits; toString() would go through a
			// generator
			return node.isString() ? '"' + node.asString() + '"' : node.asString();
		}
		return this.mapper.writeValueAsString(value);
	}

	/**
	 * Whether a string needs no escaping in JSON: printable ASCII without quote or
	 * backslash.
	 */
	private static boolean isPlain(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
				return false;
			}
		}
		return true;
	}

	/**
	 * A new, empty JSON object.
	 * @return the object
	 */
	public ObjectNode emptyObject() {
		return this.mapper.createObjectNode();
	}

	/**
	 * The Jackson type of a Java type.
	 * @param type a reflected type, possibly generic
	 * @return its Jackson type
	 */
	public JavaType type(Type type) {
		return this.mapper.constructType(type);
	}

	/**
	 * A reader that binds JSON to the given type with this mapper's strictness.
	 * @param type the target type
	 * @return a reusable reader
	 */
	public ObjectReader readerFor(JavaType type) {
		return this.mapper.readerFor(type);
	}

	/**
	 * The mapper itself, for tools that build on it (such as schema generation).
	 * @return the mapper
	 */
	public JsonMapper mapper() {
		return this.mapper;
	}

	/**
	 * Reads every decimal with {@link BigDecimal}'s own parser, so that a number is read
	 * as sent or not at all, and counts its digits again. Jackson hands long decimals to
	 * FastDoubleParser, which reads an exponent that no {@code int} holds as a different
	 * number instead of failing, and counts one digit too few in a decimal that ends the
	 * text.
	 */
	private static final class ExactDecimals extends JsonParserDelegate {

		ExactDecimals(JsonParser parser) {
			super(parser);
		}

		@Override
		public BigDecimal getDecimalValue() {
			if (currentToken() != JsonToken.VALUE_NUMBER_FLOAT) {
				return super.getDecimalValue();
			}
			char[] text = getStringCharacters();
			int offset = getStringOffset();
			int length = getStringLength();
			int digits = 0;
			for (int i = offset; i < offset + length; i++) {
				if (text[i] >= '0' && text[i] <= '9') {
					digits++;
				}
			}
			if (digits > MAX_NUMBER_DIGITS) {
				throw new StreamConstraintsException("A number has more than " + MAX_NUMBER_DIGITS + " digits");
			}
			checkExponent(text, offset, length);
			BigDecimal value = new BigDecimal(text, offset, length);
			if (value.scale() == Integer.MIN_VALUE) {
				// JDK 21+ accepts it where JDK 17 does not; its scale cannot be negated
				throw new NumberFormatException("Scale out of range.");
			}
			return value;
		}

		/**
		 * Refuses an exponent, as written, beyond the range of an {@code int}, the same
		 * on every JDK: JDK 17's {@link BigDecimal} refuses it, JDK 21's can accept it.
		 */
		private static void checkExponent(char[] text, int offset, int length) {
			int end = offset + length;
			int at = offset;
			while (at < end && text[at] != 'e' && text[at] != 'E') {
				at++;
			}
			if (at == end) {
				return;
			}
			at++;
			boolean negative = at < end && text[at] == '-';
			if (at < end && (text[at] == '-' || text[at] == '+')) {
				at++;
			}
			while (at < end - 1 && text[at] == '0') {
				at++;
			}
			if (end - at > 10) {
				throw new NumberFormatException("Exponent overflow.");
			}
			long exponent = Long.parseLong(new String(text, at, end - at)) * (negative ? -1 : 1);
			if (exponent < Integer.MIN_VALUE || exponent > Integer.MAX_VALUE) {
				throw new NumberFormatException("Exponent overflow.");
			}
		}

	}

	/**
	 * Writes UTF-16 surrogates as {@code \\ud800}-style escapes, so that a lone surrogate
	 * a client sent comes back exactly as sent instead of turning into {@code ?} on the
	 * way to UTF-8. Other characters are written as themselves.
	 */
	private static final class SurrogateEscapes extends CharacterEscapes {

		private final int[] ascii = standardAsciiEscapesForJSON();

		@Override
		public int[] getEscapeCodesForAscii() {
			return this.ascii;
		}

		@Override
		public @Nullable SerializableString getEscapeSequence(int ch) {
			if (ch >= Character.MIN_SURROGATE && ch <= Character.MAX_SURROGATE) {
				return new SerializedString(String.format("\\u%04x", ch));
			}
			return null;
		}

	}

}
