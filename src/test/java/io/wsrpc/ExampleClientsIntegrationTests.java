package io.wsrpc;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example clients under {@code examples/}, run as their users run them, against a
 * real server. Skipped with a message where Node's {@code node_modules} (from
 * {@code npm ci}) or Debian's {@code python3-websockets} is missing, unless
 * {@code WSRPC_REQUIRE_EXAMPLES} is set, as CI does after installing both.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ExampleClientsIntegrationTests {

	@LocalServerPort
	private int port;

	@TempDir
	Path output;

	@ParameterizedTest
	@EnumSource(Example.class)
	void exampleAddsNumbersAndPrintsTheEventOfATopicItPublishedTo(Example example) throws Exception {
		Run run = run(example, "ws://localhost:" + this.port);

		assertThat(run.code()).as("exit code; standard error: %s", run.err()).isZero();
		assertThat(run.out()).hasSize(2);
		assertThat(run.out().get(0)).isEqualTo("add_numbers(5, 10) = 15");
		assertThat(run.out().get(1)).startsWith("event: ");
		JsonNode event = json(run.out().get(1).substring("event: ".length()));
		String topic = event.path(example.topicMember).asString();
		assertThat(topic).matches("examples\\." + example.name + "\\.[0-9a-f]{8}");
		assertThat(event).isEqualTo(json("""
				{"%s": "%s", "data": {"text": "hello from %s"}, "offset": 1}""".formatted(example.topicMember, topic,
				example.name)));
	}

	@ParameterizedTest
	@EnumSource(Example.class)
	void exampleThatCannotConnectSaysSoAndExitsOne(Example example) throws Exception {
		Run run = run(example, "ws://localhost:1");

		assertThat(run.code()).isEqualTo(1);
		assertThat(run.out()).isEmpty();
		assertThat(run.err()).singleElement().asString().startsWith("error: ");
	}

	private Run run(Example example, String baseUrl) throws IOException, InterruptedException {
		List<String> command = example.command(baseUrl);
		Path out = this.output.resolve("out.txt");
		Path err = this.output.resolve("err.txt");
		ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
		builder.environment().remove("WSRPC_TOKEN");
		Process process = builder.start();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError(
					command + " did not exit within 60 s; it printed " + Files.readString(out) + Files.readString(err));
		}
		return new Run(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
				Files.readAllLines(err, StandardCharsets.UTF_8));
	}

	private record Run(int code, List<String> out, List<String> err) {

	}

	/**
	 * An example client: how to run it, and the member of its event that names the topic.
	 */
	enum Example {

		/** JSON-RPC 2.0 on {@code /jsonrpc}, with rpc-websockets. */
		NODE("node", "topic"),

		/** The native protocol on {@code /ws}, with websockets. */
		PYTHON("python", "event");

		/** Debian's Python, the one that python3-websockets installs into. */
		private static final String PYTHON_BINARY = "/usr/bin/python3";

		private final String name;

		private final String topicMember;

		Example(String name, String topicMember) {
			this.name = name;
			this.topicMember = topicMember;
		}

		List<String> command(String baseUrl) throws IOException, InterruptedException {
			List<String> command = new ArrayList<>();
			if (this == NODE) {
				Optional<String> node = onPath("node");
				require(node.isPresent() && Files.isDirectory(Path.of("examples/node/node_modules")),
						"no node, or no examples/node/node_modules (run npm ci in examples/node)");
				command.addAll(List.of(node.get(), "examples/node/client.mjs"));
			}
			else {
				require(new File(PYTHON_BINARY).canExecute() && succeeds(PYTHON_BINARY, "-c", "import websockets"),
						"no websockets module for " + PYTHON_BINARY + " (apt-get install python3-websockets)");
				command.addAll(List.of(PYTHON_BINARY, "examples/python/client.py"));
			}
			command.add(baseUrl);
			return command;
		}

		private static void require(boolean installed, String missing) {
			if (!installed && System.getenv("WSRPC_REQUIRE_EXAMPLES") != null) {
				throw new IllegalStateException(missing + "; .ci/run installs it");
			}
			Assumptions.assumeTrue(installed, "Skipped: " + missing);
		}

		private static Optional<String> onPath(String program) {
			String path = System.getenv("PATH");
			return Stream.of((path != null) ? path.split(File.pathSeparator) : new String[0])
				.map((directory) -> new File(directory, program))
				.filter(File::canExecute)
				.map(File::getAbsolutePath)
				.findFirst();
		}

		private static boolean succeeds(String... command) throws IOException, InterruptedException {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
		}

	}

}
