package io.wsrpc;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The steps of the Docker image's class data sharing, on the packaged jar and this JVM:
 * extract the jar, make the archive with a training run, and start from the archive.
 * {@code -Xshare:on} makes the JVM refuse to start when it cannot map the archive, so a
 * server that answers here used it. Runs in the {@code integration-test} phase, after
 * {@code package} has built the jar.
 */
class ClassDataSharingProcessTests {

	private static final Duration LIMIT = Duration.ofSeconds(180);

	@TempDir
	private Path directory;

	@Test
	void serverStartsFromTheArchiveOfATrainingRunOnTheExtractedJar() throws Exception {
		Path jar = Path.of(System.getProperty("wsrpc.jar", "target/wsrpc.jar")).toAbsolutePath();
		assertThat(jar).as("the fat jar, built by package").isRegularFile();
		Path extracted = this.directory.resolve("app");
		run(List.of("-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", extracted.toString()),
				this.directory);
		assertThat(extracted.resolve("wsrpc.jar")).isRegularFile();

		run(List.of("-XX:ArchiveClassesAtExit=wsrpc.jsa", "-Dspring.context.exit=onRefresh", "-jar", "wsrpc.jar",
				"--server.port=0", "--logging.level.root=warn"), extracted);
		assertThat(extracted.resolve("wsrpc.jsa")).as("the archive of the training run").isNotEmptyFile();

		int port = freePort();
		Path log = this.directory.resolve("server.log");
		Process server = new ProcessBuilder(command(
				List.of("-Xshare:on", "-XX:SharedArchiveFile=wsrpc.jsa", "-jar", "wsrpc.jar", "--server.port=" + port)))
			.directory(extracted.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			long deadline = System.nanoTime() + LIMIT.toNanos();
			while (true) {
				assertThat(server.isAlive()).as("the server is running; its output:%n%s", Files.readString(log))
					.isTrue();
				try (TestClient client = TestClient.connect(port, "/ws")) {
					assertThat(client.call("""
							{"request_id": 1, "action": "add_numbers", "params": {"a": 5, "b": 10}}"""))
						.isEqualTo(json("""
								{"request_id": 1, "status": "ok", "result": 15}"""));
					break;
				}
				catch (Exception ex) {
					assertThat(System.nanoTime()).as("time left to start; output:%n%s", Files.readString(log))
						.isLessThan(deadline);
					Thread.sleep(200);
				}
			}
		}
		finally {
			server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		}
	}

	private static List<String> command(List<String> arguments) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(arguments);
		return command;
	}

	private void run(List<String> arguments, Path workingDirectory) throws IOException, InterruptedException {
		Path log = Files.createTempFile(this.directory, "step", ".log");
		Process process = new ProcessBuilder(command(arguments)).directory(workingDirectory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		boolean exited = process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS);
		if (!exited) {
			process.destroyForcibly();
		}
		assertThat(exited && process.exitValue() == 0)
			.as("%s exited with 0; its output:%n%s", arguments, Files.readString(log))
			.isTrue();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
