package io.wsrpc.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.wsrpc.support.TestClient;
import io.wsrpc.support.TestMethods;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON-RPC 2.0 on {@code /jsonrpc}, checked against the specification
 * (https://www.jsonrpc.org/specification), with the examples of its section 7 adapted to
 * the demo and test methods. Every error is followed by a good call, to show that the
 * connection stays open.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(TestMethods.Config.class)
class JsonRpcIntegrationTests {

	private static final Duration NO_REPLY = Duration.ofMillis(300);

	@LocalServerPort
	private int port;

	@Test
	void callWithPositionalParamsGetsTheResult() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"jsonrpc": "2.0", "method": "add_numbers", "params": [42, 23], "id": 1}""")).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": 65, "id": 1}"""));
			assertThat(client.call("""
					{"jsonrpc": "2.0", "method": "multiply_numbers", "params": [23, 42], "id": 2}"""))
				.isEqualTo(json("""
						{"jsonrpc": "2.0", "result": 966, "id": 2}"""));
		}
	}

	@Test
	void callWithNamedParamsGetsTheResultWhateverTheOrderOfTheNames() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"jsonrpc": "2.0", "method": "add_numbers", "params": {"a": 42, "b": 23}, "id": 3}"""))
				.isEqualTo(json("""
						{"jsonrpc": "2.0", "result": 65, "id": 3}"""));
			assertThat(client.call("""
					{"jsonrpc": "2.0", "method": "multiply_numbers", "params": {"b": 23, "a": 42}, "id": 4}"""))
				.isEqualTo(json("""
						{"jsonrpc": "2.0", "result": 966, "id": 4}"""));
		}
	}

	@Test
	void callWithoutParamsGetsTheResult() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"jsonrpc": "2.0", "method": "ping", "id": "p"}""")).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": "pong", "id": "p"}"""));
		}
	}

	@Test
	void notificationGetsNoReply() throws Exception {
		try (TestClient client = connect()) {
			client.send("""
					{"jsonrpc": "2.0", "method": "echo", "params": ["update"]}""");
			client.send("""
					{"jsonrpc": "2.0", "method": "ping"}""");

			client.assertNoMessageWithin(NO_REPLY);
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void notificationToAMissingMethodGetsNoReply() throws Exception {
		try (TestClient client = connect()) {
			client.send("""
					{"jsonrpc": "2.0", "method": "foobar"}""");

			client.assertNoMessageWithin(NO_REPLY);
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void notificationThatFailsGetsNoReply() throws Exception {
		try (TestClient client = connect()) {
			client.send("""
					{"jsonrpc": "2.0", "method": "add_numbers", "params": ["1", "2"]}""");
			client.send("""
					{"jsonrpc": "2.0", "method": "test.explode"}""");
			client.send("""
					{"jsonrpc": "2.0", "method": "test.not_found", "params": {"id": "1"}}""");

			client.assertNoMessageWithin(NO_REPLY);
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void missingMethodGetsMethodNotFound() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"jsonrpc": "2.0", "method": "foobar", "id": "1"}""");

			assertThat(withoutMessage(reply)).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32601, "data": {"code": "method_not_found"}}, "id": "1"}"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void invalidJsonGetsParseErrorWithNullId() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]""");

			assertThat(withoutMessage(reply)).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32700, "data": {"code": "parse_error"}}, "id": null}"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void requestObjectWithAMethodThatIsNotAStringGetsInvalidRequestWithNullId() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"jsonrpc": "2.0", "method": 1, "params": "bar"}""");

			assertThat(withoutMessage(reply)).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32600, "data": {"code": "invalid_request"}}, "id": null}"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void batchWithInvalidJsonGetsOneParseErrorObjectNotAnArray() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					[
					  {"jsonrpc": "2.0", "method": "add_numbers", "params": [1, 2], "id": "1"},
					  {"jsonrpc": "2.0", "method"
					]""");

			assertThat(reply.isObject()).isTrue();
			assertThat(withoutMessage(reply)).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32700, "data": {"code": "parse_error"}}, "id": null}"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void emptyBatchGetsOneInvalidRequestObjectNotAnArray() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("[]");

			assertThat(reply.isObject()).isTrue();
			assertThat(withoutMessage(reply)).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32600, "data": {"code": "invalid_request"}}, "id": null}"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void batchOfOneNonObjectGetsAnArrayOfOneInvalidRequest() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("[1]");

			assertThat(reply.isArray()).isTrue();
			assertThat(reply).hasSize(1);
			assertThat(withoutMessage(reply.get(0))).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32600, "data": {"code": "invalid_request"}}, "id": null}"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void batchOfThreeNonObjectsGetsAnArrayOfThreeInvalidRequests() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("[1, 2, 3]");

			assertThat(reply.isArray()).isTrue();
			assertThat(reply).hasSize(3);
			for (JsonNode response : reply) {
				assertThat(withoutMessage(response)).isEqualTo(
						json("""
								{"jsonrpc": "2.0", "error": {"code": -32600, "data": {"code": "invalid_request"}}, "id": null}"""));
			}
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void mixedBatchGetsOneResponsePerRequestThatIsNotANotificationInRequestOrder() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					[
					  {"jsonrpc": "2.0", "method": "add_numbers", "params": [1, 2], "id": "1"},
					  {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
					  {"jsonrpc": "2.0", "method": "multiply_numbers", "params": [42, 23], "id": "2"},
					  {"foo": "boo"},
					  {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
					  {"jsonrpc": "2.0", "method": "ping", "id": "9"}
					]""");

			assertThat(reply.isArray()).isTrue();
			assertThat(reply).hasSize(5);
			assertThat(reply.get(0)).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": 3, "id": "1"}"""));
			assertThat(reply.get(1)).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": 966, "id": "2"}"""));
			assertThat(withoutMessage(reply.get(2))).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32600, "data": {"code": "invalid_request"}}, "id": null}"""));
			assertThat(withoutMessage(reply.get(3))).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32601, "data": {"code": "method_not_found"}}, "id": "5"}"""));
			assertThat(reply.get(4)).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": "pong", "id": "9"}"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void batchResponsesKeepRequestOrderEvenWhenAnEarlierCallFinishesLast() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					[
					  {"jsonrpc": "2.0", "method": "test.later", "params": {"ms": 300}, "id": "slow"},
					  {"jsonrpc": "2.0", "method": "ping", "id": "fast"}
					]""")).isEqualTo(json("""
					[
					  {"jsonrpc": "2.0", "result": "done after 300", "id": "slow"},
					  {"jsonrpc": "2.0", "result": "pong", "id": "fast"}
					]"""));
		}
	}

	@Test
	void batchOfOneCallGetsAnArrayOfOneResponse() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					[{"jsonrpc": "2.0", "method": "echo", "params": {"message": "hi"}, "id": 1}]""")).isEqualTo(json("""
					[{"jsonrpc": "2.0", "result": "hi", "id": 1}]"""));
		}
	}

	@Test
	void batchOfOnlyNotificationsGetsNoReplyAtAll() throws Exception {
		try (TestClient client = connect()) {
			client.send("""
					[
					  {"jsonrpc": "2.0", "method": "echo", "params": ["hi"]},
					  {"jsonrpc": "2.0", "method": "foobar"},
					  {"jsonrpc": "2.0", "method": "test.explode"}
					]""");

			client.assertNoMessageWithin(NO_REPLY);
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void stringIdIsEchoedAsAString() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"jsonrpc": "2.0", "method": "ping", "id": "abc-1"}""")).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": "pong", "id": "abc-1"}"""));
			assertThat(client.call("""
					{"jsonrpc": "2.0", "method": "ping", "id": "7"}""")).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": "pong", "id": "7"}"""));
		}
	}

	@Test
	void integerIdIsEchoedAsAnInteger() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"jsonrpc": "2.0", "method": "ping", "id": 7}""");

			assertThat(reply).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": "pong", "id": 7}"""));
			assertThat(reply.get("id").isIntegralNumber()).isTrue();
		}
	}

	@Test
	void fractionalIdIsEchoedAsTheSameNumber() {
		try (TestClient client = connect()) {
			String text = client.send("""
					{"jsonrpc": "2.0", "method": "ping", "id": 1.5}""").nextText();

			assertThat(json(text)).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": "pong", "id": 1.5}"""));
			assertThat(json(text).get("id").isNumber()).isTrue();
		}
	}

	@Test
	void nullIdGetsAResponseWithNullId() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"jsonrpc": "2.0", "method": "ping", "id": null}""");

			assertThat(reply).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": "pong", "id": null}"""));
			assertThat(reply.has("id")).isTrue();
		}
	}

	@Test
	void requestWithoutJsonrpcMemberGetsInvalidRequestEchoingItsId() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"method": "ping", "id": 11}""");

			assertThat(withoutMessage(reply)).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32600, "data": {"code": "invalid_request"}}, "id": 11}"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void requestOfAnotherJsonrpcVersionGetsInvalidRequestEchoingItsId() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"jsonrpc": "1.0", "method": "ping", "id": "v1"}""");
			assertThat(withoutMessage(reply)).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32600, "data": {"code": "invalid_request"}}, "id": "v1"}"""));

			reply = client.call("""
					{"jsonrpc": 2.0, "method": "ping", "id": "number"}""");
			assertThat(withoutMessage(reply)).isEqualTo(
					json("""
							{"jsonrpc": "2.0", "error": {"code": -32600, "data": {"code": "invalid_request"}}, "id": "number"}"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void idThatIsNotAStringNumberOrNullGetsInvalidRequestWithNullId() {
		try (TestClient client = connect()) {
			for (String id : List.of("{\"a\": 1}", "[1]", "true", "false")) {
				JsonNode reply = client.call("""
						{"jsonrpc": "2.0", "method": "ping", "id": %s}""".formatted(id));

				assertThat(withoutMessage(reply)).as("reply to id %s", id)
					.isEqualTo(
							json("""
									{"jsonrpc": "2.0", "error": {"code": -32600, "data": {"code": "invalid_request"}}, "id": null}"""));
			}
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void idOf128CharactersIsEchoedAndALongerOneGetsInvalidRequestWithNullId() {
		String longest = "\uD83D\uDC4B".repeat(128);
		String digits = "1".repeat(128);
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"jsonrpc": "2.0", "method": "ping", "id": "%s"}""".formatted(longest))).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": "pong", "id": "%s"}""".formatted(longest)));
			assertThat(client.call("""
					{"jsonrpc": "2.0", "method": "ping", "id": %s}""".formatted(digits))).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": "pong", "id": %s}""".formatted(digits)));
			for (String id : List.of('"' + longest + "x\"", digits + "1", '"' + "x".repeat(900_000) + '"')) {
				JsonNode reply = client.call("""
						{"jsonrpc": "1.0", "method": "ping", "id": %s}""".formatted(id));

				assertThat(withoutMessage(reply)).as("reply to an id of %s characters", id.length())
					.isEqualTo(
							json("""
									{"jsonrpc": "2.0", "error": {"code": -32600, "data": {"code": "invalid_request"}}, "id": null}"""));
			}
			JsonNode batch = client.call("""
					[{"jsonrpc": "2.0", "method": "ping", "id": "%s"}, {"jsonrpc": "2.0", "method": "ping", "id": 1}]"""
				.formatted("x".repeat(129)));
			assertThat(batch.get(0).get("id").isNull()).isTrue();
			assertThat(batch.get(0).at("/error/code").asInt()).isEqualTo(-32600);
			assertThat(batch.get(1)).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": "pong", "id": 1}"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void paramsThatAreNeitherObjectNorArrayGetInvalidRequest() {
		try (TestClient client = connect()) {
			for (String params : List.of("\"bar\"", "42", "true")) {
				JsonNode reply = client.call("""
						{"jsonrpc": "2.0", "method": "echo", "params": %s, "id": "p"}""".formatted(params));

				assertThat(withoutMessage(reply)).as("reply to params %s", params)
					.isEqualTo(
							json("""
									{"jsonrpc": "2.0", "error": {"code": -32600, "data": {"code": "invalid_request"}}, "id": "p"}"""));
			}
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void paramOfTheWrongTypeGetsInvalidParamsNamingTheField() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"jsonrpc": "2.0", "method": "add_numbers", "params": {"a": "5", "b": 1}, "id": 1}""");

			assertThat(withoutMessage(reply)).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32602, "data": {"code": "invalid_params",
					  "details": [{"field": "a", "message": "must be a number"}]}}, "id": 1}"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void positionalParamOfTheWrongTypeGetsInvalidParamsNamingTheField() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"jsonrpc": "2.0", "method": "add_numbers", "params": [1, "5"], "id": 1}""");

			assertThat(withoutMessage(reply)).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32602, "data": {"code": "invalid_params",
					  "details": [{"field": "b", "message": "must be a number"}]}}, "id": 1}"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void missingParamGetsInvalidParamsNamingTheField() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"jsonrpc": "2.0", "method": "add_numbers", "params": {"a": 1}, "id": 2}""");

			assertThat(withoutMessage(reply)).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32602, "data": {"code": "invalid_params",
					  "details": [{"field": "b", "message": "is required"}]}}, "id": 2}"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void everyCallOfABatchIsAnsweredWhenOneThrowsAnErrorWhoseDetailsCannotBeWritten() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					[
					  {"jsonrpc": "2.0", "method": "test.unwritable_details", "id": 1},
					  {"jsonrpc": "2.0", "method": "test.unwritable_details_inline", "id": 2},
					  {"jsonrpc": "2.0", "method": "ping", "id": 3}
					]""");

			assertThat(reply).isEqualTo(json("""
					[
					  {"jsonrpc": "2.0", "error": {"code": -32603, "message": "The method failed on the server.",
					   "data": {"code": "internal_error"}}, "id": 1},
					  {"jsonrpc": "2.0", "error": {"code": -32603, "message": "The method failed on the server.",
					   "data": {"code": "internal_error"}}, "id": 2},
					  {"jsonrpc": "2.0", "result": "pong", "id": 3}
					]"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void unknownParamGetsInvalidParamsNamingTheField() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"jsonrpc": "2.0", "method": "add_numbers", "params": {"a": 1, "b": 2, "c": 3}, "id": 3}""");

			assertThat(withoutMessage(reply)).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32602, "data": {"code": "invalid_params",
					  "details": [{"field": "c", "message": "is not a parameter of this method"}]}}, "id": 3}"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void invalidParamsNameEveryFieldInOneReply() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"jsonrpc": "2.0", "method": "add_numbers", "params": {"a": "5", "c": 3}, "id": 4}""");

			JsonNode error = reply.get("error");
			assertThat(error.get("code").asInt()).isEqualTo(-32602);
			assertThat(error.get("data").get("code").asString()).isEqualTo("invalid_params");
			JsonNode details = error.get("data").get("details");
			assertThat(details.isArray()).isTrue();
			List<String> fields = new ArrayList<>();
			for (JsonNode detail : details) {
				assertThat(detail.propertyNames()).containsExactlyInAnyOrder("field", "message");
				assertThat(detail.get("message").isString()).isTrue();
				fields.add(detail.get("field").asString());
			}
			assertThat(fields).containsExactlyInAnyOrder("a", "b", "c");
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void unexpectedExceptionGetsInternalErrorWithAGenericMessage() {
		try (TestClient client = connect()) {
			String text = client.send("""
					{"jsonrpc": "2.0", "method": "test.explode", "id": "boom"}""").nextText();

			assertThat(text).doesNotContain("secret");
			assertThat(withoutMessage(json(text))).isEqualTo(
					json("""
							{"jsonrpc": "2.0", "error": {"code": -32603, "data": {"code": "internal_error"}}, "id": "boom"}"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void applicationErrorGetsServerErrorCodeWithItsNameMessageAndDetails() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"jsonrpc": "2.0", "method": "test.not_found", "params": {"id": "42"}, "id": 5}"""))
				.isEqualTo(json("""
						{"jsonrpc": "2.0", "error": {"code": -32000, "message": "No item has id '42'.",
						  "data": {"code": "not_found", "details": {"id": "42"}}}, "id": 5}"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void applicationErrorFromAFailedFutureGetsItsOwnJsonRpcCode() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"jsonrpc": "2.0", "method": "test.fail_later", "id": 6}""")).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": 1234, "message": "It failed later.",
					  "data": {"code": "too_late"}}, "id": 6}"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void voidMethodGetsAResponseWithANullResult() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"jsonrpc": "2.0", "method": "test.nothing", "id": 7}""");

			assertThat(reply).isEqualTo(json("""
					{"jsonrpc": "2.0", "result": null, "id": 7}"""));
			assertThat(reply.has("result")).isTrue();
			assertThat(reply.has("error")).isFalse();
		}
	}

	@Test
	void rpcDiscoverReturnsAnOpenRpcDocumentDescribingTheMethods() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"jsonrpc": "2.0", "method": "rpc.discover", "id": "d"}""");

			assertThat(reply.propertyNames()).containsExactlyInAnyOrder("jsonrpc", "result", "id");
			assertThat(reply.get("jsonrpc").asString()).isEqualTo("2.0");
			assertThat(reply.get("id").asString()).isEqualTo("d");
			JsonNode document = reply.get("result");
			assertThat(document.get("openrpc").asString()).startsWith("1.");
			JsonNode addNumbers = null;
			for (JsonNode method : document.get("methods")) {
				if (method.get("name").asString().equals("add_numbers")) {
					addNumbers = method;
				}
			}
			assertThat(addNumbers).as("the add_numbers method").isNotNull();
			JsonNode params = addNumbers.get("params");
			assertThat(params).hasSize(2);
			assertThat(params.get(0).get("name").asString()).isEqualTo("a");
			assertThat(params.get(0).get("required").asBoolean()).isTrue();
			assertThat(params.get(1).get("name").asString()).isEqualTo("b");
			assertThat(params.get(1).get("required").asBoolean()).isTrue();
			assertThat(params.get(0).get("schema")).isEqualTo(json("""
					{"type": "number"}"""));
			assertThat(params.get(1).get("schema")).isEqualTo(json("""
					{"type": "number"}"""));
		}
	}

	@Test
	void connectionStaysOpenAfterEveryKindOfError() {
		try (TestClient client = connect()) {
			client.call("{");
			client.call("[]");
			client.call("[1, 2]");
			client.call("""
					{"jsonrpc": "2.0", "method": "foobar", "id": 1}""");
			client.call("""
					{"jsonrpc": "2.0", "method": "add_numbers", "params": ["x"], "id": 2}""");
			client.call("""
					{"jsonrpc": "2.0", "method": "test.explode", "id": 3}""");
			client.call("""
					{"jsonrpc": "2.0", "method": "test.not_found", "params": ["x"], "id": 4}""");
			client.call("""
					{"jsonrpc": "2.0", "method": "test.fail_later", "id": 5}""");

			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void everyOneOf200ConcurrentRequestsIsAnsweredExactlyOnce() throws Exception {
		int connections = 4;
		int requestsPerConnection = 50;
		List<TestClient> clients = new ArrayList<>();
		ExecutorService senders = Executors.newFixedThreadPool(connections);
		try {
			for (int c = 0; c < connections; c++) {
				clients.add(connect());
			}
			Map<String, Integer> delays = new ConcurrentHashMap<>();
			List<CompletableFuture<Void>> sending = new ArrayList<>();
			for (int c = 0; c < connections; c++) {
				TestClient client = clients.get(c);
				int connection = c;
				sending.add(CompletableFuture.runAsync(() -> {
					for (int i = 0; i < requestsPerConnection; i++) {
						String id = connection + "-" + i;
						int ms = (i * 7) % 30;
						delays.put(id, ms);
						client.send("""
								{"jsonrpc": "2.0", "method": "test.later", "params": {"ms": %d}, "id": "%s"}"""
							.formatted(ms, id));
					}
				}, senders));
			}
			CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

			Map<String, Integer> answers = new ConcurrentHashMap<>();
			for (TestClient client : clients) {
				for (int i = 0; i < requestsPerConnection; i++) {
					JsonNode reply = client.nextMessage();
					String id = reply.get("id").asString();
					answers.merge(id, 1, Integer::sum);
					assertThat(reply).isEqualTo(json("""
							{"jsonrpc": "2.0", "result": "done after %d", "id": "%s"}""".formatted(delays.get(id),
							id)));
				}
			}
			for (TestClient client : clients) {
				client.assertNoMessageWithin(NO_REPLY);
			}
			assertThat(answers).hasSize(connections * requestsPerConnection);
			assertThat(answers).allSatisfy((id, count) -> assertThat(count).as("answers to %s", id).isOne());
		}
		finally {
			senders.shutdownNow();
			clients.forEach(TestClient::close);
		}
	}

	@Test
	void messageNested500LevelsDeepIsAnswered() {
		try (TestClient client = connect()) {
			// the request object and its params are the first two levels
			assertThat(client.call("""
					{"jsonrpc": "2.0", "method": "test.depth", "params": [%s], "id": 1}""".formatted(arrays(498))))
				.isEqualTo(json("""
						{"jsonrpc": "2.0", "result": 498, "id": 1}"""));
		}
	}

	@Test
	void messageNestedBeyond500LevelsGetsAParseErrorAndTheConnectionStaysOpen() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"jsonrpc": "2.0", "method": "test.depth", "params": [%s], "id": 1}""".formatted(arrays(499)));

			assertThat(withoutMessage(reply)).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32700, "data": {"code": "parse_error"}}, "id": null}"""));
			assertThat(reply.at("/error/message").asString()).contains("500 levels");
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void numberWithAnExponentBeyondWhatBigDecimalHoldsGetsAParseErrorAndTheConnectionStaysOpen() {
		try (TestClient client = connect()) {
			for (String number : List.of("1e2147483648", "1e-2147483649")) {
				JsonNode reply = client.call("""
						{"jsonrpc": "2.0", "method": "add_numbers", "params": [%s, 1], "id": 1}""".formatted(number));

				assertThat(withoutMessage(reply)).as("the reply to %s", number).isEqualTo(json("""
						{"jsonrpc": "2.0", "error": {"code": -32700, "data": {"code": "parse_error"}}, "id": null}"""));
			}
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void batchOfMaxBatchSizeRequestsIsAnsweredInFull() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call(batchOfPings(1000));

			assertThat(reply).hasSize(1000);
			for (int i = 0; i < 1000; i++) {
				assertThat(reply.get(i)).isEqualTo(json("""
						{"jsonrpc": "2.0", "result": "pong", "id": %d}""".formatted(i)));
			}
		}
	}

	@Test
	void batchLargerThanMaxBatchSizeGetsOneInvalidRequestErrorAndTheConnectionStaysOpen() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call(batchOfPings(1001));

			assertThat(withoutMessage(reply)).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32600, "data": {"code": "invalid_request"}}, "id": null}"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void paramsOfMoreThan1000ValuesGetInvalidRequestAndTheConnectionStaysOpen() {
		try (TestClient client = connect()) {
			JsonNode over = client.call("""
					{"jsonrpc": "2.0", "method": "add_numbers", "params": [%s], "id": "p"}""".formatted(ones(1001)));
			JsonNode at = client.call("""
					{"jsonrpc": "2.0", "method": "add_numbers", "params": [%s], "id": "q"}""".formatted(ones(1000)));

			assertThat(withoutMessage(over)).isEqualTo(json("""
					{"jsonrpc": "2.0", "error": {"code": -32600, "data": {"code": "invalid_request"}}, "id": "p"}"""));
			// 1,000 values reach the method, which takes only two
			assertThat(withoutMessage(at)).isEqualTo(
					json("""
							{"jsonrpc": "2.0", "error": {"code": -32602, "data": {"code": "invalid_params",
							  "details": [{"field": "params", "message": "has 1000 values but the method takes at most 2"}]}}, "id": "q"}"""));
			assertConnectionStillAnswers(client);
		}
	}

	private static String ones(int count) {
		return String.join(", ", java.util.Collections.nCopies(count, "1"));
	}

	private static String batchOfPings(int size) {
		List<String> requests = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			requests.add("{\"jsonrpc\": \"2.0\", \"method\": \"ping\", \"id\": " + i + "}");
		}
		return "[" + String.join(", ", requests) + "]";
	}

	private static String arrays(int levels) {
		return "[".repeat(levels) + "]".repeat(levels);
	}

	private TestClient connect() {
		return TestClient.connect(this.port, "/jsonrpc");
	}

	static void assertConnectionStillAnswers(TestClient client) {
		assertThat(client.call("""
				{"jsonrpc": "2.0", "method": "ping", "id": "sentinel"}""")).isEqualTo(json("""
				{"jsonrpc": "2.0", "result": "pong", "id": "sentinel"}"""));
	}

	/**
	 * Checks that an error reply's message is a non-empty string and returns a copy
	 * without it, so that the rest of the reply can be compared whole while the wording
	 * of server messages stays free to change.
	 */
	static JsonNode withoutMessage(JsonNode reply) {
		JsonNode message = reply.path("error").path("message");
		assertThat(message.isString()).as("error.message of %s is a string", reply).isTrue();
		assertThat(message.asString()).as("error.message of %s", reply).isNotBlank();
		ObjectNode copy = (ObjectNode) reply.deepCopy();
		((ObjectNode) copy.get("error")).remove("message");
		return copy;
	}

}
