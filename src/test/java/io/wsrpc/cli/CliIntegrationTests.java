package io.wsrpc.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.wsrpc.WsrpcApplication;
import io.wsrpc.support.TestClient;
import io.wsrpc.support.TestMethods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(TestMethods.Config.class)
@ActiveProfiles("echo-baseline") // for bench --echo against /echo
class CliIntegrationTests {

	@LocalServerPort
	private int port;

	@org.springframework.beans.factory.annotation.Autowired
	private io.wsrpc.pubsub.EventPublisher events;

	private String url(String path) {
		return "ws://localhost:" + this.port + path;
	}

	@Test
	void callPrintsTheReplyAsPrettyJsonAndExitsZero() {
		Run run = run("call", "add_numbers", "a=5", "b=10", "--url", url("/ws"));
		assertThat(run.code()).isZero();
		assertThat(run.out()).isEqualTo("""
				{
				  "request_id" : 1,
				  "status" : "ok",
				  "result" : 15
				}
				""");
		assertThat(run.err()).isEmpty();
	}

	@Test
	void callTakesParamsAsOneJsonValueOrAsNameValuePairs() {
		assertThat(json(run("call", "multiply_numbers", "[6, 7]", "--url", url("/ws")).out()).get("result").asInt())
			.isEqualTo(42);
		assertThat(json(run("call", "echo", "message=hello world", "--url", url("/ws")).out()).get("result").asString())
			.isEqualTo("hello world");
		assertThat(json(run("call", "echo", "message=\"5\"", "--url", url("/ws")).out()).get("result").asString())
			.isEqualTo("5");
	}

	@Test
	void callWithAnErrorReplyPrintsItAndExitsOne() {
		Run run = run("call", "add_numbers", "a=x", "b=1", "--url", url("/ws"));
		assertThat(run.code()).isEqualTo(1);
		JsonNode reply = json(run.out());
		assertThat(reply.at("/error/code").asString()).isEqualTo("invalid_params");
	}

	@Test
	void callSpeaksJsonRpcOnTheJsonRpcEndpoint() {
		Run run = run("call", "ping", "--url", url("/jsonrpc"));
		assertThat(run.code()).isZero();
		assertThat(json(run.out())).isEqualTo(json("""
				{"jsonrpc": "2.0", "result": "pong", "id": 1}"""));
	}

	@Test
	void callWithoutAReplyInTimeSaysSoInOneLine() {
		Run run = run("call", "sleep", "ms=3000", "--timeout", "300ms", "--url", url("/ws"));
		assertThat(run.code()).isEqualTo(2);
		assertThat(run.errLines()).singleElement().asString().startsWith("error: No reply to 'sleep' within 300 ms");
	}

	@Test
	void timeoutGivenAsABareNumberIsMilliseconds() {
		Run run = run("call", "sleep", "ms=3000", "--timeout", "300", "--url", url("/ws"));
		assertThat(run.code()).isEqualTo(2);
		assertThat(run.errLines()).singleElement().asString().startsWith("error: No reply to 'sleep' within 300 ms");
	}

	@Test
	void refusedConnectionIsOneClearLine() {
		Run run = run("call", "ping", "--url", "ws://localhost:1/ws");
		assertThat(run.code()).isEqualTo(2);
		assertThat(run.errLines()).containsExactly("error: Cannot connect to ws://localhost:1/ws: connection refused");
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://localhost/ws", "not a url", "ws://" })
	void badUrlIsOneClearLine(String url) {
		Run run = run("call", "ping", "--url", url);
		assertThat(run.code()).isEqualTo(2);
		assertThat(run.errLines()).singleElement().asString().startsWith("error: ").contains(url);
	}

	@Test
	void badJsonParamsIsOneClearLine() {
		Run run = run("call", "add_numbers", "{\"a\": ", "--url", url("/ws"));
		assertThat(run.code()).isEqualTo(2);
		assertThat(run.errLines()).singleElement().asString().startsWith("error: The params are not valid JSON");
	}

	@Test
	void unknownOptionNamesItAndPointsToHelp() {
		Run run = run("call", "ping", "--bogus");
		assertThat(run.code()).isEqualTo(2);
		assertThat(run.errLines()).containsExactly("error: Unknown option: '--bogus'", "Try 'wsrpc call --help'.");
	}

	@ParameterizedTest
	@ValueSource(strings = { "call", "demo", "subscribe", "bench", "fanout" })
	void everyCommandHasHelp(String command) {
		Run run = run(command, "--help");
		assertThat(run.code()).isZero();
		assertThat(run.out()).startsWith("Usage: wsrpc " + command).contains("--url");
	}

	@Test
	void subscribePrintsEachEventAsALineOfJsonWithItsOffset() throws Exception {
		java.util.concurrent.CompletableFuture<Run> running = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> run("subscribe", "alerts.*", "--count", "2", "--url", url("/ws")));
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (this.events.publish("alerts.disk", java.util.Map.of("free", 3)) == 0 && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		this.events.publish("alerts.cpu", 97);
		Run run = running.get(10, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(run.code()).isZero();
		// alerts.disk may have been published before the subscription took effect
		assertThat(run.out()).matches("""
				\\{"topic":"alerts.disk","data":\\{"free":3},"offset":[1-9][0-9]*}
				\\{"topic":"alerts.cpu","data":97,"offset":1}
				""");
	}

	@Test
	void subscribeWithSeveralUrlsUsesTheFirstServerThatAccepts() throws Exception {
		java.util.concurrent.CompletableFuture<Run> running = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> run("subscribe", "cli.several", "--count", "1", "--url", "ws://localhost:1/ws", "--url",
					url("/ws")));
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (this.events.publish("cli.several", "hi") == 0 && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		Run run = running.get(10, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(run.code()).isZero();
		assertThat(run.out()).matches("""
				\\{"topic":"cli.several","data":"hi","offset":[1-9][0-9]*}
				""");
	}

	@Test
	void fanoutTimesEachPublishUntilEverySubscriberHasIt() {
		Run run = run("fanout", "--subscribers", "25", "--publishes", "3", "--url", url("/ws"));
		assertThat(run.code()).isZero();
		assertThat(run.out()).startsWith("fan-out to 25 subscribers, 3 publishes: p50 ")
			.doesNotContain("did not arrive");
	}

	@Test
	void demoCallsTheThreeReferenceMethodsAndPrintsEachReply() {
		Run run = run("demo", "--url", url("/ws"));
		assertThat(run.code()).isZero();
		assertThat(run.out()).contains("-> add_numbers {\"a\":5,\"b\":10}")
			.contains("<- {\"request_id\":1,\"status\":\"ok\",\"result\":15}")
			.contains("<- {\"request_id\":2,\"status\":\"ok\",\"result\":42}")
			.contains("<- {\"request_id\":3,\"status\":\"ok\",\"result\":\"Hello, wsrpc!\"}");
	}

	@Test
	void benchChecksEveryReplyAndReportsAsJson() {
		Run run = run("bench", "--requests", "400", "--connections", "3", "--in-flight", "4", "--json", "--url",
				url("/ws"));
		assertThat(run.code()).isZero();
		JsonNode result = json(run.out());
		assertThat(result.get("ok").asLong()).isEqualTo(400);
		assertThat(result.get("errors").asLong()).isZero();
		assertThat(result.get("wrong").asLong()).isZero();
		assertThat(result.get("lost").asLong()).isZero();
		assertThat(result.get("duplicate").asLong()).isZero();
		assertThat(result.get("calls_per_second").asDouble()).isPositive();
		assertThat(result.at("/latency_ms/p50").asDouble()).isPositive();
		assertThat(result.at("/latency_ms/max").asDouble())
			.isGreaterThanOrEqualTo(result.at("/latency_ms/p99").asDouble());
	}

	@Test
	void benchThroughTheJdkClientChecksEveryReplyToo() {
		Run run = run("bench", "--client", "jdk", "--requests", "300", "--connections", "2", "--in-flight", "4",
				"--json", "--url", url("/ws"));
		assertThat(run.code()).isZero();
		JsonNode result = json(run.out());
		assertThat(result.get("ok").asLong()).isEqualTo(300);
		assertThat(result.get("wrong").asLong()).isZero();
		assertThat(result.get("lost").asLong()).isZero();
	}

	@Test
	void benchMatchesRepliesThatComeBackOutOfOrder() {
		Run run = run("bench", "--requests", "600", "--in-flight", "8", "--method", "test.jitter", "--json", "--url",
				url("/ws"));
		assertThat(run.code()).isZero();
		JsonNode result = json(run.out());
		assertThat(result.get("ok").asLong()).isEqualTo(600);
		assertThat(result.get("duplicate").asLong()).isZero();
		assertThat(result.get("lost").asLong()).isZero();
	}

	@Test
	void benchOverJsonRpcWorksTheSameWay() {
		Run run = run("bench", "--requests", "100", "--in-flight", "8", "--json", "--url", url("/jsonrpc"));
		assertThat(run.code()).isZero();
		assertThat(json(run.out()).get("ok").asLong()).isEqualTo(100);
	}

	@Test
	void benchCountsErrorRepliesAndFails() {
		Run run = run("bench", "--requests", "50", "--method", "echo", "--params", "{\"message\": 5}", "--json",
				"--url", url("/ws"));
		assertThat(run.code()).isEqualTo(1);
		assertThat(json(run.out()).get("errors").asLong()).isEqualTo(50);
	}

	@Test
	void benchCountsErrorRepliesOverJsonRpcToo() {
		Run run = run("bench", "--requests", "20", "--method", "echo", "--params", "{\"message\": 5}", "--json",
				"--url", url("/jsonrpc"));
		assertThat(run.code()).isEqualTo(1);
		assertThat(json(run.out()).get("errors").asLong()).isEqualTo(20);
	}

	@Test
	void benchCountsWrongResultsAndFails() {
		Run run = run("bench", "--requests", "20", "--method", "ping", "--expect", "\"pang\"", "--json", "--url",
				url("/ws"));
		assertThat(run.code()).isEqualTo(1);
		assertThat(json(run.out()).get("wrong").asLong()).isEqualTo(20);
	}

	@Test
	void benchPrintsAReadableSummary() {
		Run run = run("bench", "--requests", "50", "--url", url("/ws"));
		assertThat(run.code()).isZero();
		assertThat(run.out()).contains("add_numbers over 1 connection(s) x 1 in flight")
			.contains("50 ok, 0 errors, 0 wrong, 0 lost, 0 duplicate")
			.contains("calls/s")
			.contains("p99.9");
	}

	@Test
	void benchWithEchoTakesEachEchoedRequestAsItsReply() {
		Run run = run("bench", "--echo", "--requests", "300", "--connections", "2", "--in-flight", "4", "--json",
				"--url", url("/echo"));
		assertThat(run.code()).isZero();
		JsonNode result = json(run.out());
		assertThat(result.get("ok").asLong()).isEqualTo(300);
		assertThat(result.get("duplicate").asLong()).isZero();
		assertThat(result.get("lost").asLong()).isZero();
	}

	@Test
	void benchWithoutEchoTakesNoEchoedRequestForAReply() {
		Run run = run("bench", "--requests", "5", "--timeout", "1s", "--json", "--url", url("/echo"));
		assertThat(run.code()).isEqualTo(1);
		JsonNode result = json(run.out());
		assertThat(result.get("ok").asLong()).isZero();
		assertThat(result.get("duplicate").asLong()).isPositive();
	}

	@Test
	void benchWithACallIntervalStartsEachConnectionsCallsNoCloserThanIt() {
		Run run = run("bench", "--connections", "2", "--call-interval", "100ms", "--duration", "1s", "--method", "ping",
				"--json", "--url", url("/ws"));
		assertThat(run.code()).isZero();
		// two connections, each at most once per 100 ms over 1 s: at most 11 each,
		// however
		// fast the server; a loaded machine may manage fewer, but each makes its first
		// call
		assertThat(json(run.out()).get("ok").asLong()).isBetween(2L, 22L);
	}

	@Test
	void benchOpensMoreConnectionsThanHandshakesMayBePendingAndHoldsThemAll() {
		int connections = Bench.MAX_PENDING_HANDSHAKES + 100;
		Run run = run("bench", "--connections", String.valueOf(connections), "--call-interval", "500ms", "--duration",
				"1s", "--method", "ping", "--json", "--url", url("/ws"));
		assertThat(run.code()).isZero();
		JsonNode result = json(run.out());
		assertThat(result.get("held").asInt()).isEqualTo(connections);
		assertThat(result.get("failed_connections").asInt()).isZero();
		assertThat(result.get("dropped_connections").asInt()).isZero();
	}

	@Test
	void benchAtAServerThatRefusesEveryConnectionSaysSoInOneLine() {
		try (ConfigurableApplicationContext server = new SpringApplicationBuilder(WsrpcApplication.class)
			.properties("server.port=0", "wsrpc.max-connections=1")
			.run()) {
			int port = ((WebServerApplicationContext) server).getWebServer().getPort();
			try (TestClient holder = TestClient.connect(port, "/ws")) {
				Run run = run("bench", "--connections", "3", "--duration", "1s", "--url",
						"ws://localhost:" + port + "/ws");
				assertThat(run.code()).isEqualTo(2);
				assertThat(run.errLines()).containsExactly("error: Cannot connect to ws://localhost:" + port
						+ "/ws: the server refused the WebSocket handshake with HTTP 503");
			}
		}
	}

	@Test
	void onlyCommandsAreTakenForTheCommandLineTool() {
		assertThat(Cli.isCommand(new String[] { "call", "ping" })).isTrue();
		assertThat(Cli.isCommand(new String[] { "--help" })).isTrue();
		assertThat(Cli.isCommand(new String[0])).isFalse();
		assertThat(Cli.isCommand(new String[] { "--server.port=9090" })).isFalse();
	}

	private static Run run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	private record Run(int code, String out, String err) {

		List<String> errLines() {
			return new ArrayList<>(this.err.lines().toList());
		}

	}

}
