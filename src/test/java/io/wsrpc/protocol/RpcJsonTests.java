package io.wsrpc.protocol;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;

class RpcJsonTests {

	private final RpcJson json = new RpcJson();

	/**
	 * Jackson with default settings, which the shortcuts for simple values must match.
	 */
	private final JsonMapper jackson = JsonMapper.builder().build();

	@ParameterizedTest
	@ValueSource(strings = { "", "pong", "a b ~ { } [ ] : ,", "quote \" inside", "back \\ slash", "tab\there",
			"line\nbreak", "\u0000\u001f", "caf\u00e9", "\u2028", "del \u007f" })
	void stringsAreWrittenAsJacksonWritesThem(String value) {
		assertThat(this.json.write(value)).isEqualTo(this.jackson.writeValueAsString(value));
		assertThat(this.jackson.readValue(this.json.write(value), String.class)).isEqualTo(value);
	}

	@Test
	void stringsWithSurrogatesComeBackAsTheyWere() {
		String value = "emoji \ud83d\ude00, lone \ud800";

		assertThat(this.jackson.readValue(this.json.write(value), String.class)).isEqualTo(value);
	}

	@ParameterizedTest
	@MethodSource("scalars")
	void numbersAndBooleansAreWrittenAsJacksonWritesThem(Object value) {
		assertThat(this.json.write(value)).isEqualTo(this.jackson.writeValueAsString(value));
	}

	static List<Object> scalars() {
		return List.of(new BigDecimal("15"), new BigDecimal("0.30"), new BigDecimal("-1E+3"), new BigDecimal("1E-7"),
				Integer.MIN_VALUE, Long.MAX_VALUE, true, false);
	}

	@ParameterizedTest
	@MethodSource("ids")
	void requestIdsAreWrittenAsJacksonWritesThem(Object id) {
		assertThat(this.json.write(id)).isEqualTo(this.jackson.writeValueAsString(id));
	}

	static List<Object> ids() {
		JsonNodeFactory nodes = JsonNodeFactory.instance;
		return List.of(nodes.numberNode(7), nodes.numberNode(-9_007_199_254_740_993L),
				nodes.numberNode(new java.math.BigInteger("123456789012345678901234567890")), nodes.stringNode("r-1"),
				nodes.stringNode("with \"quotes\""), nodes.stringNode("\u00fcber"));
	}

}
