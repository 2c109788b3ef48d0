package io.wsrpc.protocol.jsonrpc;

import java.util.List;

import io.wsrpc.protocol.ErrorCode;
import io.wsrpc.protocol.FieldError;
import io.wsrpc.protocol.Outcome;
import io.wsrpc.protocol.RpcError;
import io.wsrpc.protocol.RpcJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class JsonRpcCodecTests {

	private final RpcJson json = new RpcJson();

	private final JsonRpcCodec codec = new JsonRpcCodec(this.json, 1000);

	@Test
	void singleRequestIsOneCall() {
		JsonRpcRequest request = call(single("""
				{"jsonrpc": "2.0", "method": "add_numbers", "params": {"a": 1, "b": 2}, "id": "r-1"}"""));

		assertThat(request.id()).isEqualTo(json("\"r-1\""));
		assertThat(request.method()).isEqualTo("add_numbers");
		assertThat(request.params()).isEqualTo(json("""
				{"a": 1, "b": 2}"""));
		assertThat(request.isNotification()).isFalse();
	}

	@Test
	void positionalParamsAreKeptAndMissingParamsBecomeAnEmptyObject() {
		assertThat(call(single("""
				{"jsonrpc": "2.0", "method": "m", "params": [1, 2], "id": 1}""")).params()).isEqualTo(json("[1, 2]"));
		assertThat(call(single("""
				{"jsonrpc": "2.0", "method": "m", "id": 1}""")).params()).isEqualTo(json("{}"));
	}

	@Test
	void batchDecodesEachElementInOrder() {
		Decoded decoded = this.codec.decode("""
				[{"jsonrpc": "2.0", "method": "a", "id": 1}, {"jsonrpc": "2.0", "method": "b"}, 7]""");

		assertThat(decoded).isInstanceOf(Decoded.Batch.class);
		List<Decoded.Entry> entries = ((Decoded.Batch) decoded).entries();
		assertThat(entries).hasSize(3);
		assertThat(call(entries.get(0)).method()).isEqualTo("a");
		assertThat(call(entries.get(1)).method()).isEqualTo("b");
		assertThat(call(entries.get(1)).isNotification()).isTrue();
		assertThat(rejected(entries.get(2)).error().data().code()).isEqualTo("invalid_request");
	}

	@Test
	void emptyBatchIsOneInvalidRequestWithNullId() {
		JsonRpcResponse.Failure reply = rejected(single("[]"));

		assertThat(reply.id()).isNull();
		assertThat(reply.error().code()).isEqualTo(-32600);
	}

	@ParameterizedTest
	@ValueSource(strings = { "1", "\"a\"", "null", "[]", "[{\"jsonrpc\": \"2.0\", \"method\": \"m\", \"id\": 1}]" })
	void batchElementThatIsNotAnObjectIsRejectedWithNullId(String element) {
		Decoded decoded = this.codec.decode("[" + element + "]");

		assertThat(decoded).isInstanceOf(Decoded.Batch.class);
		JsonRpcResponse.Failure reply = rejected(((Decoded.Batch) decoded).entries().get(0));
		assertThat(reply.id()).isNull();
		assertThat(reply.error().code()).isEqualTo(ErrorCode.INVALID_REQUEST.jsonRpcCode());
	}

	@Test
	void textThatIsNotJsonIsOneParseErrorWithNullId() {
		JsonRpcResponse.Failure reply = rejected(single("{\"jsonrpc\": \"2.0\", "));

		assertThat(reply.id()).isNull();
		assertThat(reply.error().code()).isEqualTo(-32700);
		assertThat(reply.error().data().code()).isEqualTo("parse_error");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"1\"", "1", "-3", "1.5", "123456789012345678901234567890" })
	void stringAndNumberIdsAreKeptWithTheirType(String id) {
		JsonRpcRequest request = call(single("{\"jsonrpc\": \"2.0\", \"method\": \"m\", \"id\": " + id + "}"));

		assertThat(request.id()).isEqualTo(json(id));
		assertThat(request.isNotification()).isFalse();
		assertThat(this.codec.encode(this.codec.response(request.id(), new Outcome.Success("0"))))
			.isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":0,\"id\":" + id + "}");
	}

	@Test
	void nullIdIsARequestNotANotification() {
		JsonRpcRequest request = call(single("""
				{"jsonrpc": "2.0", "method": "m", "id": null}"""));

		assertThat(request.id()).isNotNull();
		assertThat(request.id().isNull()).isTrue();
		assertThat(request.isNotification()).isFalse();
		assertThat(this.codec.encode(this.codec.response(request.id(), new Outcome.Success("1"))))
			.isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":null}");
	}

	@Test
	void absentIdIsANotification() {
		JsonRpcRequest request = call(single("""
				{"jsonrpc": "2.0", "method": "m"}"""));

		assertThat(request.id()).isNull();
		assertThat(request.isNotification()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"a\": 1}", "[1]", "true" })
	void idThatIsNotAStringNumberOrNullIsRejectedWithNullId(String id) {
		JsonRpcResponse.Failure reply = rejected(
				single("{\"jsonrpc\": \"2.0\", \"method\": \"m\", \"id\": " + id + "}"));

		assertThat(reply.id()).isNull();
		assertThat(reply.error().data().code()).isEqualTo("invalid_request");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"method\": \"m\", \"id\": 9}", "{\"jsonrpc\": \"1.0\", \"method\": \"m\", \"id\": 9}",
			"{\"jsonrpc\": 2.0, \"method\": \"m\", \"id\": 9}", "{\"jsonrpc\": \"2\", \"method\": \"m\", \"id\": 9}",
			"{\"jsonrpc\": null, \"method\": \"m\", \"id\": 9}" })
	void versionThatIsNotTheString20IsRejectedEchoingTheId(String text) {
		JsonRpcResponse.Failure reply = rejected(single(text));

		assertThat(reply.id()).isEqualTo(json("9"));
		assertThat(reply.error().code()).isEqualTo(-32600);
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "{\"jsonrpc\": \"2.0\", \"id\": \"q\"}", "{\"jsonrpc\": \"2.0\", \"method\": 1, \"id\": \"q\"}",
					"{\"jsonrpc\": \"2.0\", \"method\": null, \"id\": \"q\"}",
					"{\"jsonrpc\": \"2.0\", \"method\": {}, \"id\": \"q\"}" })
	void methodThatIsMissingOrNotAStringIsRejectedEchoingTheId(String text) {
		JsonRpcResponse.Failure reply = rejected(single(text));

		assertThat(reply.id()).isEqualTo(json("\"q\""));
		assertThat(reply.error().data().code()).isEqualTo("invalid_request");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"a\"", "3", "null", "false" })
	void paramsThatAreNotStructuredAreRejectedEchoingTheId(String params) {
		JsonRpcResponse.Failure reply = rejected(
				single("{\"jsonrpc\": \"2.0\", \"method\": \"m\", \"params\": " + params + ", \"id\": 4}"));

		assertThat(reply.id()).isEqualTo(json("4"));
		assertThat(reply.error().data().code()).isEqualTo("invalid_request");
	}

	@Test
	void successIsWrittenAsJsonrpcResultIdInThatOrder() {
		String text = this.codec.encode(this.codec.response(json("\"r-1\""), new Outcome.Success("{\"sum\":0.30}")));

		assertThat(text).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{\"sum\":0.30},\"id\":\"r-1\"}");
	}

	@Test
	void failureIsWrittenAsJsonrpcErrorIdWithTheCodeNameAndDetailsInData() {
		Outcome.Failure outcome = new Outcome.Failure(RpcError.of(ErrorCode.INVALID_PARAMS,
				"Invalid params: 'a' is required.", List.of(new FieldError("a", "is required"))));

		String text = this.codec.encode(this.codec.response(json("3"), outcome));

		assertThat(text).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32602,"
				+ "\"message\":\"Invalid params: 'a' is required.\",\"data\":{\"code\":\"invalid_params\","
				+ "\"details\":[{\"field\":\"a\",\"message\":\"is required\"}]}},\"id\":3}");
	}

	@Test
	void failureWithoutDetailsHasOnlyTheCodeNameInData() {
		String text = this.codec
			.encode(this.codec.response(json("3"), Outcome.Failure.of(ErrorCode.TIMEOUT, "Too slow.")));

		assertThat(text).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32001,\"message\":\"Too slow.\","
				+ "\"data\":{\"code\":\"timeout\"}},\"id\":3}");
	}

	@Test
	void failureWithoutAReadableIdWritesIdNull() {
		JsonRpcResponse.Failure reply = rejected(single("not json"));

		assertThat(this.codec.encode(reply)).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\""
				+ reply.error().message() + "\",\"data\":{\"code\":\"parse_error\"}},\"id\":null}");
	}

	@Test
	void listOfResponsesIsWrittenAsOneArray() {
		List<JsonRpcResponse> responses = List.of(this.codec.response(json("1"), new Outcome.Success("2")),
				this.codec.response(json("\"b\""), Outcome.Failure.of(ErrorCode.METHOD_NOT_FOUND, "No such method.")));

		assertThat(this.codec.encode(responses)).isEqualTo("[{\"jsonrpc\":\"2.0\",\"result\":2,\"id\":1},"
				+ "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"No such method.\","
				+ "\"data\":{\"code\":\"method_not_found\"}},\"id\":\"b\"}]");
	}

	private Decoded.Entry single(String text) {
		Decoded decoded = this.codec.decode(text);
		assertThat(decoded).isInstanceOf(Decoded.Single.class);
		return ((Decoded.Single) decoded).entry();
	}

	private static JsonRpcRequest call(Decoded.Entry entry) {
		assertThat(entry).isInstanceOf(Decoded.Call.class);
		return ((Decoded.Call) entry).request();
	}

	private static JsonRpcResponse.Failure rejected(Decoded.Entry entry) {
		assertThat(entry).isInstanceOf(Decoded.Rejected.class);
		return ((Decoded.Rejected) entry).reply();
	}

	private JsonNode json(String text) {
		return this.json.readTree(text);
	}

	@Test
	void batchLargerThanTheLimitIsOneInvalidRequest() {
		JsonRpcCodec limited = new JsonRpcCodec(this.json, 2);
		assertThat(limited.decode("[1, 2]")).isInstanceOf(Decoded.Batch.class);
		Decoded decoded = limited.decode("[1, 2, 3]");
		assertThat(decoded).isInstanceOf(Decoded.Single.class);
		Decoded.Rejected rejected = (Decoded.Rejected) ((Decoded.Single) decoded).entry();
		assertThat(rejected.reply().error().code()).isEqualTo(-32600);
		assertThat(rejected.reply().error().message()).contains("at most 2");
	}

}
