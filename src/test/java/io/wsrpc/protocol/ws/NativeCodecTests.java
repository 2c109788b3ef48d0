package io.wsrpc.protocol.ws;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import io.wsrpc.protocol.ErrorCode;
import io.wsrpc.protocol.FieldError;
import io.wsrpc.protocol.Outcome;
import io.wsrpc.protocol.RpcError;
import io.wsrpc.protocol.RpcJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;

class NativeCodecTests {

	private final RpcJson json = new RpcJson();

	private final NativeCodec codec = new NativeCodec(this.json);

	@Test
	void requestWithStringIdIsACall() {
		RpcRequest request = call("""
				{"request_id": "r-1", "action": "echo", "params": {"message": "hi"}}""");

		assertThat(request.requestId()).isEqualTo(JsonNodeFactory.instance.stringNode("r-1"));
		assertThat(request.action()).isEqualTo("echo");
		assertThat(request.params()).isEqualTo(json("""
				{"message": "hi"}"""));
	}

	@Test
	void requestWithIntegerIdIsACall() {
		RpcRequest request = call("""
				{"request_id": 7, "action": "ping"}""");

		assertThat(request.requestId().isIntegralNumber()).isTrue();
		assertThat(request.requestId().asInt()).isEqualTo(7);
	}

	@Test
	void requestWithAnIntegerIdBeyondLongIsACallAndKeepsEveryDigit() {
		RpcRequest request = call("""
				{"request_id": 123456789012345678901234567890, "action": "ping"}""");

		assertThat(request.requestId().isIntegralNumber()).isTrue();
		assertThat(request.requestId().bigIntegerValue()).isEqualTo(new BigInteger("123456789012345678901234567890"));
		assertThat(this.codec.encode(request.requestId(), new Outcome.Success("true")))
			.isEqualTo("{\"request_id\":123456789012345678901234567890,\"status\":\"ok\",\"result\":true}");
	}

	@Test
	void missingParamsBecomeAnEmptyObject() {
		RpcRequest request = call("""
				{"request_id": 1, "action": "ping"}""");

		assertThat(request.params()).isEqualTo(json("{}"));
	}

	@Test
	void positionalParamsAreKeptAsAnArray() {
		RpcRequest request = call("""
				{"request_id": 1, "action": "multiply", "params": [6, 7]}""");

		assertThat(request.params()).isEqualTo(json("[6, 7]"));
	}

	@Test
	void textThatIsNotJsonIsAParseErrorWithoutId() {
		RpcResponse.Failure reply = rejected("{\"request_id\": 1, \"action\": ");

		assertThat(reply.requestId()).isNull();
		assertThat(reply.error().code()).isEqualTo(ErrorCode.PARSE_ERROR.wireName());
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "\n\t  " })
	void emptyOrBlankTextIsAParseError(String text) {
		RpcResponse.Failure reply = rejected(text);

		assertThat(reply.requestId()).isNull();
		assertThat(reply.error().code()).isEqualTo("parse_error");
	}

	@Test
	void trailingGarbageAfterARequestIsAParseError() {
		RpcResponse.Failure reply = rejected("""
				{"request_id":1,"action":"ping"} x""");

		assertThat(reply.requestId()).isNull();
		assertThat(reply.error().code()).isEqualTo("parse_error");
	}

	@Test
	void secondValueAfterARequestIsAParseError() {
		RpcResponse.Failure reply = rejected("""
				{"request_id":1,"action":"ping"} {"request_id":2,"action":"ping"}""");

		assertThat(reply.error().code()).isEqualTo("parse_error");
	}

	@ParameterizedTest
	@ValueSource(strings = { "[{\"request_id\": 1, \"action\": \"ping\"}]", "\"ping\"", "42", "true", "null" })
	void jsonThatIsNotAnObjectIsAnInvalidRequestWithoutId(String text) {
		RpcResponse.Failure reply = rejected(text);

		assertThat(reply.requestId()).isNull();
		assertThat(reply.error().code()).isEqualTo(ErrorCode.INVALID_REQUEST.wireName());
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"action\": \"ping\"}", "{\"request_id\": \"\", \"action\": \"ping\"}",
			"{\"request_id\": 1.5, \"action\": \"ping\"}", "{\"request_id\": 1.0, \"action\": \"ping\"}",
			"{\"request_id\": true, \"action\": \"ping\"}", "{\"request_id\": null, \"action\": \"ping\"}",
			"{\"request_id\": {\"a\": 1}, \"action\": \"ping\"}", "{\"request_id\": [1], \"action\": \"ping\"}" })
	void requestIdThatIsMissingOrNotANonEmptyStringOrIntegerIsAnInvalidRequestWithoutId(String text) {
		RpcResponse.Failure reply = rejected(text);

		assertThat(reply.requestId()).isNull();
		assertThat(reply.error().code()).isEqualTo("invalid_request");
	}

	@Test
	void requestIdOf129CharactersIsAnInvalidRequestWithoutId() {
		RpcResponse.Failure reply = rejected(request("x".repeat(129)));

		assertThat(reply.requestId()).isNull();
		assertThat(reply.error().code()).isEqualTo("invalid_request");
	}

	@Test
	void requestIdOf128CharactersIsAccepted() {
		String id = "x".repeat(128);

		assertThat(call(request(id)).requestId().asString()).isEqualTo(id);
	}

	@Test
	void requestIdLengthCountsCodePointsSo128EmojiAreAccepted() {
		String id = "\uD83D\uDC4B".repeat(128);
		assertThat(id).hasSize(256);

		assertThat(call(request(id)).requestId().asString()).isEqualTo(id);
	}

	@Test
	void requestIdOf129EmojiIsAnInvalidRequest() {
		RpcResponse.Failure reply = rejected(request("\uD83D\uDC4B".repeat(129)));

		assertThat(reply.requestId()).isNull();
		assertThat(reply.error().code()).isEqualTo("invalid_request");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"request_id\": \"r-9\"}", "{\"request_id\": \"r-9\", \"action\": 5}",
			"{\"request_id\": \"r-9\", \"action\": null}", "{\"request_id\": \"r-9\", \"action\": [\"ping\"]}" })
	void actionThatIsMissingOrNotAStringIsAnInvalidRequestThatEchoesTheId(String text) {
		RpcResponse.Failure reply = rejected(text);

		assertThat(reply.requestId()).isEqualTo(JsonNodeFactory.instance.stringNode("r-9"));
		assertThat(reply.error().code()).isEqualTo("invalid_request");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"a\"", "5", "null", "true" })
	void paramsThatAreNeitherObjectNorArrayAreAnInvalidRequestThatEchoesTheId(String params) {
		RpcResponse.Failure reply = rejected("{\"request_id\": 3, \"action\": \"ping\", \"params\": " + params + "}");

		assertThat(reply.requestId()).isEqualTo(json("3"));
		assertThat(reply.error().code()).isEqualTo("invalid_request");
	}

	@Test
	void rejectedRequestEncodesAsAWholeErrorReply() {
		RpcResponse.Failure reply = rejected("""
				{"request_id": "r-2", "action": 1}""");

		assertThat(this.codec.encode(reply)).isEqualTo(
				"{\"request_id\":\"r-2\",\"status\":\"error\",\"error\":{\"code\":\"invalid_request\",\"message\":\""
						+ reply.error().message() + "\"}}");
	}

	@Test
	void parseErrorEncodesWithANullRequestId() {
		RpcResponse.Failure reply = rejected("nope");

		assertThat(json(this.codec.encode(reply)).get("request_id").isNull()).isTrue();
	}

	@Test
	void successIsWrittenWithRequestIdStatusAndResultInThatOrder() {
		String text = this.codec.encode(new RpcResponse.Success(json("\"r-1\""), "{\"sum\":15}"));

		assertThat(text).isEqualTo("{\"request_id\":\"r-1\",\"status\":\"ok\",\"result\":{\"sum\":15}}");
	}

	@Test
	void voidResultIsWrittenAsNull() {
		String text = this.codec.encode(json("5"), new Outcome.Success("null"));

		assertThat(text).isEqualTo("{\"request_id\":5,\"status\":\"ok\",\"result\":null}");
	}

	@Test
	void failureWithoutDetailsOmitsThem() {
		String text = this.codec.encode(json("\"r-1\""),
				Outcome.Failure.of(ErrorCode.METHOD_NOT_FOUND, "No method is named 'nope'."));

		assertThat(text).isEqualTo("{\"request_id\":\"r-1\",\"status\":\"error\","
				+ "\"error\":{\"code\":\"method_not_found\",\"message\":\"No method is named 'nope'.\"}}");
	}

	@Test
	void failureWithDetailsIncludesThem() {
		RpcError error = RpcError.of(ErrorCode.INVALID_PARAMS, "Invalid params: 'a' is required.",
				List.of(new FieldError("a", "is required")));

		String text = this.codec.encode(new RpcResponse.Failure(json("1"), error));

		assertThat(text).isEqualTo("{\"request_id\":1,\"status\":\"error\",\"error\":{\"code\":\"invalid_params\","
				+ "\"message\":\"Invalid params: 'a' is required.\",\"details\":[{\"field\":\"a\",\"message\":\"is required\"}]}}");
	}

	@Test
	void applicationErrorDetailsAreWrittenAsGiven() {
		RpcError error = new RpcError("not_found", "No item has id 'x'.", Map.of("id", "x"), -32000);

		String text = this.codec.encode(new RpcResponse.Failure(json("1"), error));

		assertThat(text).isEqualTo("{\"request_id\":1,\"status\":\"error\",\"error\":{\"code\":\"not_found\","
				+ "\"message\":\"No item has id 'x'.\",\"details\":{\"id\":\"x\"}}}");
	}

	@Test
	void resultNumbersAreWrittenExactlyAsGiven() {
		assertThat(this.codec.encode(json("1"), new Outcome.Success("0.1")))
			.isEqualTo("{\"request_id\":1,\"status\":\"ok\",\"result\":0.1}");
		assertThat(this.codec.encode(json("1"), new Outcome.Success("1.0")))
			.isEqualTo("{\"request_id\":1,\"status\":\"ok\",\"result\":1.0}");
	}

	@Test
	void decimalsReadFromARequestAreWrittenBackExactly() {
		RpcRequest request = call("""
				{"request_id": 1, "action": "echo", "params": [0.1, 1.0, 2.50, 12345678901234567890.123456789]}""");
		RpcError error = RpcError.of(ErrorCode.INVALID_PARAMS, "m", request.params());

		String text = this.codec.encode(new RpcResponse.Failure(request.requestId(), error));

		assertThat(text).contains("\"details\":[0.1,1.0,2.50,12345678901234567890.123456789]");
	}

	private RpcRequest call(String text) {
		Decoded decoded = this.codec.decode(text);
		assertThat(decoded).isInstanceOf(Decoded.Call.class);
		return ((Decoded.Call) decoded).request();
	}

	private RpcResponse.Failure rejected(String text) {
		Decoded decoded = this.codec.decode(text);
		assertThat(decoded).isInstanceOf(Decoded.Rejected.class);
		return ((Decoded.Rejected) decoded).reply();
	}

	private static String request(String requestId) {
		return "{\"request_id\": \"" + requestId + "\", \"action\": \"ping\"}";
	}

	private JsonNode json(String text) {
		return this.json.readTree(text);
	}

	@Test
	void paramsWithMoreThanAThousandValuesAreAnInvalidRequest() {
		String values = String.join(",", java.util.Collections.nCopies(1001, "1"));
		Decoded decoded = this.codec
			.decode("{\"request_id\": \"q\", \"action\": \"ping\", \"params\": [" + values + "]}");
		assertThat(decoded).isInstanceOf(Decoded.Rejected.class);
		assertThat(((Decoded.Rejected) decoded).reply().error().code()).isEqualTo("invalid_request");
		String thousand = String.join(",", java.util.Collections.nCopies(1000, "1"));
		assertThat(this.codec.decode("{\"request_id\": \"q\", \"action\": \"ping\", \"params\": [" + thousand + "]}"))
			.isInstanceOf(Decoded.Call.class);
	}

}
