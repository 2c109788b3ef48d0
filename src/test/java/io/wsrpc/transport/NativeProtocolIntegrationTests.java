package io.wsrpc.transport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.wsrpc.support.TestClient;
import io.wsrpc.support.TestMethods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(TestMethods.Config.class)
class NativeProtocolIntegrationTests {

	@LocalServerPort
	private int port;

	private TestClient connect() {
		return TestClient.connect(this.port, "/ws");
	}

	@Test
	void addNumbersAnswersWithTheSum() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"request_id": "r-1", "action": "add_numbers", "params": {"a": 5, "b": 10}}""")).isEqualTo(json("""
					{"request_id": "r-1", "status": "ok", "result": 15}"""));
		}
	}

	@Test
	void arithmeticIsExactDecimalAndIntegersNeverOverflow() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"request_id": 1, "action": "add_numbers", "params": {"a": 0.1, "b": 0.2}}""")
				.get("result")
				.toString()).isEqualTo("0.3");
			assertThat(client.call("""
					{"request_id": 2, "action": "add_numbers", "params": {"a": 3.5, "b": 4.5}}""")
				.get("result")
				.decimalValue()).isEqualByComparingTo("8");
			assertThat(client.call("""
					{"request_id": 3, "action": "add_numbers", "params": {"a": 9223372036854775807, "b": 1}}""")
				.get("result")
				.toString()).isEqualTo("9223372036854775808");
			assertThat(client.call("""
					{"request_id": 4, "action": "multiply_numbers", "params": [123456789012345678901234567890, 10]}""")
				.get("result")
				.toString()).isEqualTo("1234567890123456789012345678900");
		}
	}

	@Test
	void positionalParamsBindByPosition() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"request_id": "p", "action": "multiply_numbers", "params": [6, 7]}""")).isEqualTo(json("""
					{"request_id": "p", "status": "ok", "result": 42}"""));
		}
	}

	@Test
	void demoMethodsAnswerAsDocumented() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"request_id": "e", "action": "echo", "params": {"message": "héllo 👋"}}""")).isEqualTo(json("""
					{"request_id": "e", "status": "ok", "result": "héllo 👋"}"""));
			assertThat(client.call("""
					{"request_id": "p", "action": "ping"}""")).isEqualTo(json("""
					{"request_id": "p", "status": "ok", "result": "pong"}"""));
			assertThat(client.call("""
					{"request_id": "r", "action": "reverse", "params": {"text": "ab👋c"}}""")).isEqualTo(json("""
					{"request_id": "r", "status": "ok", "result": "c👋ba"}"""));
			assertThat(client.call("""
					{"request_id": "s", "action": "sleep", "params": {"ms": 5}}""")).isEqualTo(json("""
					{"request_id": "s", "status": "ok", "result": 5}"""));
		}
	}

	@Test
	void requestIdsAreEchoedExactlyAsSent() {
		try (TestClient client = connect()) {
			String longest = "x".repeat(128);
			assertThat(client.call("{\"request_id\": \"" + longest + "\", \"action\": \"ping\"}").get("request_id"))
				.isEqualTo(json('"' + longest + '"'));
			assertThat(client.call("""
					{"request_id": -7, "action": "ping"}""").get("request_id")).isEqualTo(json("-7"));
			assertThat(client.send("""
					{"request_id": 123456789012345678901234567890, "action": "ping"}""").nextText())
				.startsWith("{\"request_id\":123456789012345678901234567890,");
		}
	}

	@Test
	void voidMethodAnswersWithNullResult() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"request_id": "v", "action": "test.nothing"}""")).isEqualTo(json("""
					{"request_id": "v", "status": "ok", "result": null}"""));
		}
	}

	@Test
	void completableFutureResultIsAwaited() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"request_id": "l", "action": "test.later", "params": {"ms": 50}}""")).isEqualTo(json("""
					{"request_id": "l", "status": "ok", "result": "done after 50"}"""));
		}
	}

	@Test
	void optionalAndNullableParamsMayBeLeftOut() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"request_id": 1, "action": "test.greet", "params": {"name": "Ada"}}""").get("result"))
				.isEqualTo(json("\"Hello, Ada\""));
			assertThat(client
				.call("""
						{"request_id": 2, "action": "test.greet", "params": {"name": "Ada", "greeting": "Hi", "times": 2}}""")
				.get("result")).isEqualTo(json("\"Hi, Ada Hi, Ada\""));
			assertThat(client.call("""
					{"request_id": 3, "action": "test.greet", "params": ["Ada", null]}""").get("result"))
				.isEqualTo(json("\"Hello, Ada\""));
		}
	}

	@Test
	void recordsAndCollectionsBind() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"request_id": 1, "action": "test.register",
					 "params": {"person": {"name": "Ada", "age": 36}, "tags": ["math", "engines"]}}""").get("result"))
				.isEqualTo(json("\"Ada (36) [math, engines]\""));
		}
	}

	@Test
	void malformedJsonGetsParseErrorAndTheConnectionStaysOpen() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("{\"request_id\": 1, \"action\": ");
			assertThat(reply.get("request_id").isNull()).isTrue();
			assertThat(reply.get("status").asString()).isEqualTo("error");
			assertThat(reply.at("/error/code").asString()).isEqualTo("parse_error");
			assertThat(reply.at("/error/message").asString()).isNotBlank();
			assertThat(client.call("""
					{"request_id": "after", "action": "ping"}""").get("result").asString()).isEqualTo("pong");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "[1, 2]", "\"text\"", "42", "null", "{\"action\": \"ping\"}",
			"{\"request_id\": \"\", \"action\": \"ping\"}", "{\"request_id\": 1.5, \"action\": \"ping\"}",
			"{\"request_id\": true, \"action\": \"ping\"}", "{\"request_id\": {\"a\": 1}, \"action\": \"ping\"}",
			"{\"request_id\": null, \"action\": \"ping\"}" })
	void requestsWithoutAReadableIdGetInvalidRequestWithNullId(String request) {
		try (TestClient client = connect()) {
			JsonNode reply = client.call(request);
			assertThat(reply.get("request_id").isNull()).isTrue();
			assertThat(reply.at("/error/code").asString()).isEqualTo("invalid_request");
		}
	}

	@Test
	void requestIdLongerThan128CharactersIsInvalid() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("{\"request_id\": \"" + "x".repeat(129) + "\", \"action\": \"ping\"}");
			assertThat(reply.get("request_id").isNull()).isTrue();
			assertThat(reply.at("/error/code").asString()).isEqualTo("invalid_request");
		}
	}

	@Test
	void integerRequestIdLongerThan128CharactersIsInvalid() {
		try (TestClient client = connect()) {
			String digits = "9".repeat(128);
			assertThat(client.send("{\"request_id\": " + digits + ", \"action\": \"ping\"}").nextText())
				.startsWith("{\"request_id\":" + digits + ",");
			JsonNode reply = client.call("{\"request_id\": " + digits + "9, \"action\": 5}");
			assertThat(reply.get("request_id").isNull()).isTrue();
			assertThat(reply.at("/error/code").asString()).isEqualTo("invalid_request");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"request_id\": \"q\"}", "{\"request_id\": \"q\", \"action\": 5}",
			"{\"request_id\": \"q\", \"action\": \"ping\", \"params\": \"x\"}",
			"{\"request_id\": \"q\", \"action\": \"ping\", \"params\": 3}",
			"{\"request_id\": \"q\", \"action\": \"ping\", \"params\": null}" })
	void badActionOrParamsGetInvalidRequestWithTheId(String request) {
		try (TestClient client = connect()) {
			JsonNode reply = client.call(request);
			assertThat(reply.get("request_id").asString()).isEqualTo("q");
			assertThat(reply.at("/error/code").asString()).isEqualTo("invalid_request");
		}
	}

	@Test
	void unknownActionGetsMethodNotFound() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"request_id": "m", "action": "no_such_method"}""");
			assertThat(reply.get("request_id").asString()).isEqualTo("m");
			assertThat(reply.at("/error/code").asString()).isEqualTo("method_not_found");
			assertThat(reply.at("/error/message").asString()).contains("no_such_method");
		}
	}

	@Test
	void stringForANumberIsInvalidParamsNamingTheField() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"request_id": "i", "action": "add_numbers", "params": {"a": "5", "b": 10}}""");
			assertThat(reply.get("error")).isEqualTo(json("""
					{"code": "invalid_params", "message": "Invalid params: 'a' must be a number.",
					 "details": [{"field": "a", "message": "must be a number"}]}"""));
		}
	}

	@Test
	void everyBadParamIsNamedInOneReply() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"request_id": "i", "action": "add_numbers", "params": {"a": null, "c": 1}}""");
			assertThat(reply.at("/error/code").asString()).isEqualTo("invalid_params");
			assertThat(reply.at("/error/details")).containsExactlyInAnyOrder(
					json("{\"field\": \"c\", \"message\": \"is not a parameter of this method\"}"),
					json("{\"field\": \"a\", \"message\": \"must not be null\"}"),
					json("{\"field\": \"b\", \"message\": \"is required\"}"));
		}
	}

	@Test
	void bindingIsStrict() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"request_id": 1, "action": "sleep", "params": {"ms": 1.5}}""").at("/error/details/0"))
				.isEqualTo(json("{\"field\": \"ms\", \"message\": \"must be an integer\"}"));
			assertThat(client.call("""
					{"request_id": 2, "action": "echo", "params": {"message": 5}}""").at("/error/details/0"))
				.isEqualTo(json("{\"field\": \"message\", \"message\": \"must be a string\"}"));
			assertThat(client.call("""
					{"request_id": 3, "action": "test.flag", "params": {"value": 1}}""").at("/error/details/0"))
				.isEqualTo(json("{\"field\": \"value\", \"message\": \"must be true or false\"}"));
			assertThat(client.call("""
					{"request_id": 4, "action": "test.flag", "params": [null]}""").at("/error/details/0"))
				.isEqualTo(json("{\"field\": \"value\", \"message\": \"must not be null\"}"));
			assertThat(client.call("""
					{"request_id": 5, "action": "add_numbers", "params": [1, 2, 3]}""").at("/error/code").asString())
				.isEqualTo("invalid_params");
			assertThat(client.call("""
					{"request_id": 6, "action": "add_numbers", "params": [1]}""").at("/error/details/0"))
				.isEqualTo(json("{\"field\": \"b\", \"message\": \"is required\"}"));
		}
	}

	@Test
	void nestedProblemsNameTheirPath() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"request_id": 1, "action": "test.register",
					 "params": {"person": {"name": "Ada", "age": "old", "x": 1}, "tags": ["a", 2]}}""");
			assertThat(reply.at("/error/code").asString()).isEqualTo("invalid_params");
			assertThat(reply.at("/error/details").findValuesAsString("field")).contains("tags[1]")
				.anyMatch((field) -> field.startsWith("person."));
		}
	}

	@Test
	void beanValidationViolationsAreInvalidParamsWithFieldDetails() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"request_id": 1, "action": "sleep", "params": {"ms": 20000}}""").get("error")).isEqualTo(json("""
					{"code": "invalid_params", "message": "Invalid params: 'ms' must be less than or equal to 10000.",
					 "details": [{"field": "ms", "message": "must be less than or equal to 10000"}]}"""));
			JsonNode reply = client.call("""
					{"request_id": 2, "action": "test.register",
					 "params": {"person": {"name": " ", "age": -1}, "tags": ["ok", ""]}}""");
			assertThat(reply.at("/error/details")).containsExactly(
					json("{\"field\": \"person.age\", \"message\": \"must be greater than or equal to 0\"}"),
					json("{\"field\": \"person.name\", \"message\": \"must not be blank\"}"),
					json("{\"field\": \"tags[1]\", \"message\": \"must not be blank\"}"));
		}
	}

	@Test
	void applicationErrorsReachTheClientWithTheirOwnCode() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"request_id": "a", "action": "test.not_found", "params": {"id": "42"}}""")).isEqualTo(json("""
					{"request_id": "a", "status": "error",
					 "error": {"code": "not_found", "message": "No item has id '42'.", "details": {"id": "42"}}}"""));
		}
	}

	@Test
	void unexpectedExceptionsAreInternalErrorsThatRevealNothing() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"request_id": "x", "action": "test.explode"}""")).isEqualTo(json("""
					{"request_id": "x", "status": "error",
					 "error": {"code": "internal_error", "message": "The method failed on the server."}}"""));
		}
	}

	@Test
	void applicationErrorWhoseDetailsCannotBeWrittenIsAnInternalErrorAndTheConnectionStaysOpen() {
		try (TestClient client = connect()) {
			for (String method : List.of("test.unwritable_details", "test.unwritable_details_inline")) {
				assertThat(client.call("""
						{"request_id": "d", "action": "%s"}""".formatted(method))).as(method).isEqualTo(json("""
						{"request_id": "d", "status": "error",
						 "error": {"code": "internal_error", "message": "The method failed on the server."}}"""));
			}
			assertThat(client.call("""
					{"request_id": "after", "action": "ping"}""")).isEqualTo(json("""
					{"request_id": "after", "status": "ok", "result": "pong"}"""));
		}
	}

	@Test
	void fastCallIsAnsweredBeforeASlowerOneSentEarlier() {
		try (TestClient client = connect()) {
			client.send("""
					{"request_id": "slow", "action": "sleep", "params": {"ms": 500}}""");
			client.send("""
					{"request_id": "fast", "action": "echo", "params": {"message": "hi"}}""");

			assertThat(client.nextMessage().get("request_id").asString()).isEqualTo("fast");
			assertThat(client.nextMessage().get("request_id").asString()).isEqualTo("slow");
		}
	}

	@Test
	void methodsRunOnVirtualThreadsFromJdk21AndOnThePoolBefore() {
		try (TestClient client = connect()) {
			String thread = client.call("""
					{"request_id": "t", "action": "test.thread"}""").get("result").asString();
			if (Runtime.version().feature() >= 21) {
				assertThat(thread).startsWith("VirtualThread");
			}
			else {
				assertThat(thread).contains("rpc-").doesNotContain("VirtualThread");
			}
		}
	}

	@Test
	void framesAreReadOnPlatformThreadsOnEveryJdkSoThatParsingALargeMessageCannotHoldUpOthers() {
		try (TestClient client = connect()) {
			String thread = client.call("""
					{"request_id": "t", "action": "test.inline_thread"}""").get("result").asString();
			assertThat(thread).doesNotContain("VirtualThread");
		}
	}

	@Test
	void everyRequestFromManyThreadsGetsExactlyOneReply() throws Exception {
		int threads = 4;
		int perThread = 30; // 120 in all, within the in-flight limit of 128
		try (TestClient client = connect()) {
			ExecutorService senders = Executors.newFixedThreadPool(threads);
			for (int t = 0; t < threads; t++) {
				int thread = t;
				senders.submit(() -> {
					for (int i = 0; i < perThread; i++) {
						client.send("{\"request_id\": \"" + thread + "-" + i
								+ "\", \"action\": \"add_numbers\", \"params\": [" + thread + ", " + i + "]}");
					}
				});
			}
			senders.shutdown();
			Set<String> answered = new HashSet<>();
			for (int i = 0; i < threads * perThread; i++) {
				JsonNode reply = client.nextMessage();
				String id = reply.get("request_id").asString();
				assertThat(answered.add(id)).as("second reply to %s", id).isTrue();
				String[] parts = id.split("-");
				assertThat(reply.get("result").asInt())
					.isEqualTo(Integer.parseInt(parts[0]) + Integer.parseInt(parts[1]));
			}
			client.assertNoMessageWithin(Duration.ofMillis(200));
		}
	}

	@Test
	void fragmentedMessagesAreReassembled() {
		try (TestClient client = connect()) {
			client.sendInParts("{\"request_id\": \"f\", ", "\"action\": \"echo\", ",
					"\"params\": {\"message\": \"joined\"}}");
			assertThat(client.nextMessage()).isEqualTo(json("""
					{"request_id": "f", "status": "ok", "result": "joined"}"""));
		}
	}

	@Test
	void messageOfAlmostOneMebibyteIsAnswered() {
		try (TestClient client = connect()) {
			String text = "y".repeat(1_000_000);
			JsonNode reply = client
				.call("{\"request_id\": \"big\", \"action\": \"echo\", \"params\": {\"message\": \"" + text + "\"}}");
			assertThat(reply.get("result").asString()).hasSize(1_000_000);
		}
	}

	@Test
	void messageOverOneMebibyteClosesTheConnectionWith1009() {
		try (TestClient client = connect()) {
			String text = "z".repeat(1024 * 1024);
			client
				.send("{\"request_id\": \"huge\", \"action\": \"echo\", \"params\": {\"message\": \"" + text + "\"}}");
			assertThat(client.awaitCloseCode()).isEqualTo(1009);
		}
	}

	@Test
	void binaryFrameClosesTheConnectionWith1003() {
		try (TestClient client = connect()) {
			client.sendBinary("{\"request_id\": 1, \"action\": \"ping\"}".getBytes(StandardCharsets.UTF_8));
			assertThat(client.awaitCloseCode()).isEqualTo(1003);
		}
	}

	@Test
	void discoveryDescribesEveryMethodAsOpenRpc() {
		try (TestClient client = connect()) {
			JsonNode document = client.call("""
					{"request_id": "d", "action": "rpc.discover"}""").get("result");
			assertThat(document.get("openrpc").asString()).startsWith("1.");
			JsonNode add = null;
			for (JsonNode method : document.get("methods")) {
				if (method.get("name").asString().equals("add_numbers")) {
					add = method;
				}
			}
			assertThat(add).isNotNull();
			assertThat(add.get("params")).isEqualTo(json("""
					[{"name": "a", "required": true, "schema": {"type": "number"}},
					 {"name": "b", "required": true, "schema": {"type": "number"}}]"""));
			assertThat(add.at("/result/schema")).isEqualTo(json("{\"type\": \"number\"}"));
			assertThat(document.get("methods").valueStream().map((method) -> method.get("name").asString()))
				.contains("echo", "ping", "reverse", "sleep", "multiply_numbers", "test.greet")
				.doesNotContain("rpc.discover");
		}
	}

	@Test
	void loneSurrogatesComeBackExactlyAsSent() {
		try (TestClient client = connect()) {
			JsonNode reply = client.call("""
					{"request_id": "\\ud800", "action": "echo", "params": {"message": "\\udc00x"}}""");
			assertThat(reply.get("request_id").asString()).isEqualTo("\ud800");
			assertThat(reply.get("result").asString()).isEqualTo("\udc00x");
		}
	}

	@Test
	void wholeNumberResultsAreWrittenAsIntegers() {
		try (TestClient client = connect()) {
			assertThat(client.send("""
					{"request_id": 1, "action": "multiply_numbers", "params": [1e2, 1e2]}""").nextText())
				.isEqualTo("{\"request_id\":1,\"status\":\"ok\",\"result\":10000}");
		}
	}

	@Test
	void numbersBeyondTheParserLimitGetAParseErrorThatSaysSo() {
		try (TestClient client = connect()) {
			JsonNode reply = client
				.call("{\"request_id\": 1, \"action\": \"add_numbers\", \"params\": [" + "9".repeat(1001) + ", 1]}");
			assertThat(reply.at("/error/code").asString()).isEqualTo("parse_error");
			assertThat(reply.at("/error/message").asString()).contains("1000 digits");
			assertThat(client
				.send("{\"request_id\": 2, \"action\": \"add_numbers\", \"params\": [" + "9".repeat(1000) + ", 1]}")
				.nextText()).endsWith("\"result\":1" + "0".repeat(1000) + "}");
		}
	}

	@Test
	void messageNested500LevelsDeepIsAnswered() {
		try (TestClient client = connect()) {
			// the request object and its params are the first two levels
			assertThat(client.call("""
					{"request_id": "deep", "action": "test.depth", "params": {"value": %s}}""".formatted(arrays(498))))
				.isEqualTo(json("""
						{"request_id": "deep", "status": "ok", "result": 498}"""));
		}
	}

	@Test
	void messageNestedBeyond500LevelsGetsAParseErrorAndTheConnectionStaysOpen() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"request_id": "deeper", "action": "test.depth", "params": {"value": %s}}"""
				.formatted(arrays(499)))).isEqualTo(
						json("""
								{"request_id": null, "status": "error", "error": {"code": "parse_error",
								 "message": "The message is beyond this server's JSON limits: numbers of at most 1000 digits, nesting at most 500 levels deep."}}"""));
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void numberWithAnExponentBeyondWhatBigDecimalHoldsGetsAParseErrorAndTheConnectionStaysOpen() {
		try (TestClient client = connect()) {
			// the same on every JDK, though JDK 21+ would read some of them
			for (String number : List.of("1e2147483648", "1e-2147483649", "10e2147483648", "0.1e2147483648",
					"1e-2147483648")) {
				assertThat(client.call("""
						{"request_id": 1, "action": "add_numbers", "params": [%s, 1]}""".formatted(number)))
					.as("the reply to %s", number)
					.isEqualTo(
							json("""
									{"request_id": null, "status": "error", "error": {"code": "parse_error",
									 "message": "The message is beyond this server's JSON limits: numbers of at most 1000 digits, nesting at most 500 levels deep."}}"""));
			}
			assertConnectionStillAnswers(client);
		}
	}

	@Test
	void arithmeticOperandWithAnExponentBeyond2000EitherWayIsInvalidParams() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"request_id": 1, "action": "add_numbers", "params": {"a": 1e2001, "b": 1}}""")).isEqualTo(json("""
					{"request_id": 1, "status": "error", "error": {"code": "invalid_params",
					 "message": "Invalid params: 'a' has too large an exponent.",
					 "details": [{"field": "a", "message": "must have an exponent between -2000 and 2000"}]}}"""));
			assertThat(client.call("""
					{"request_id": 2, "action": "multiply_numbers", "params": [2, 1e-2001]}""")).isEqualTo(json("""
					{"request_id": 2, "status": "error", "error": {"code": "invalid_params",
					 "message": "Invalid params: 'b' has too large an exponent.",
					 "details": [{"field": "b", "message": "must have an exponent between -2000 and 2000"}]}}"""));
			assertThat(client.call("""
					{"request_id": 3, "action": "multiply_numbers", "params": [1e999999999, 1e999999999]}""")
				.at("/error/code")
				.asString()).isEqualTo("invalid_params");
			for (String extreme : List.of("1e2147483647", "1e-2147483647")) {
				assertThat(client.call("""
						{"request_id": 4, "action": "add_numbers", "params": [%s, 1]}""".formatted(extreme))
					.at("/error/code")
					.asString()).as("the reply to %s", extreme).isEqualTo("invalid_params");
			}
		}
	}

	@Test
	void arithmeticOperandsWithExponentsOf2000EitherWayAreAnsweredExactly() {
		try (TestClient client = connect()) {
			assertThat(client.send("""
					{"request_id": 1, "action": "add_numbers", "params": {"a": 1e2000, "b": 1e-2000}}""").nextText())
				.isEqualTo("{\"request_id\":1,\"status\":\"ok\",\"result\":1" + "0".repeat(2000) + "."
						+ "0".repeat(1999) + "1}");
			assertThat(client.send("""
					{"request_id": 2, "action": "multiply_numbers", "params": [1e2000, 1e-2000]}""").nextText())
				.isEqualTo("{\"request_id\":2,\"status\":\"ok\",\"result\":1}");
			// 15e-2000: the digits as written, times a power of ten within the bound
			assertThat(client.send("""
					{"request_id": 3, "action": "add_numbers", "params": [1.5e-1999, 0]}""").nextText())
				.isEqualTo("{\"request_id\":3,\"status\":\"ok\",\"result\":1.5E-1999}");
		}
	}

	@Test
	void duplicateMemberNamesAreNotAnErrorAndTheLastOneWins() {
		try (TestClient client = connect()) {
			assertThat(client.call("""
					{"request_id": "first", "request_id": "last", "action": "echo",
					 "params": {"message": "first", "message": "last"}}""")).isEqualTo(json("""
					{"request_id": "last", "status": "ok", "result": "last"}"""));
		}
	}

	private static String arrays(int levels) {
		return "[".repeat(levels) + "]".repeat(levels);
	}

	private static void assertConnectionStillAnswers(TestClient client) {
		assertThat(client.call("""
				{"request_id": "after", "action": "ping"}""")).isEqualTo(json("""
				{"request_id": "after", "status": "ok", "result": "pong"}"""));
	}

}
