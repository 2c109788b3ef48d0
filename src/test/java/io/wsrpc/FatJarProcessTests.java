package io.wsrpc;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the fat jar as its own process, as {@code java -jar target/wsrpc.jar} does in
 * production, and stops it with SIGTERM. Runs in the {@code integration-test} phase
 * (maven-failsafe-plugin), after {@code package} has built the jar.
 */
class FatJarProcessTests {

	private static final Duration STARTUP_LIMIT = Duration.ofSeconds(120);

	private static final Duration EXIT_LIMIT = Duration.ofSeconds(30);

	/**
	 * The JVM's exit status after a SIGTERM whose shutdown hooks all finished: 128 + 15.
	 * Spring Boot's hook closes the context (the drain, then Jetty) and leaves the status
	 * to the JVM, so 143 is the clean result, the same as {@code docker stop} reports.
	 */
	private static final int EXIT_AFTER_SIGTERM = 143;

	@TempDir
	private Path directory;

	private Process server;

	private Path log;

	private int port;

	@BeforeEach
	void startServer() throws IOException, InterruptedException {
		Path jar = Path.of(System.getProperty("wsrpc.jar", "target/wsrpc.jar"));
		assertThat(jar).as("the fat jar, built by package").isRegularFile();
		this.port = freePort();
		this.log = this.directory.resolve("server.log");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		this.server = new ProcessBuilder(java, "-jar", jar.toAbsolutePath().toString(), "--server.port=" + this.port)
			.directory(this.directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.log.toFile())
			.start();
		awaitReadiness();
	}

	@AfterEach
	void stopServer() {
		if (this.server != null && this.server.isAlive()) {
			this.server.destroyForcibly();
		}
	}

	@Test
	void sigtermSendsTheDrainingNoticeLetsTheCallInFlightReplyThenClosesWith1001AndExits() throws Exception {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			client.send("""
					{"request_id": "slow", "action": "sleep", "params": {"ms": 2000}}""");
			// frames are dispatched in order, so once the ping is answered the sleep is
			// running
			assertThat(client.call("""
					{"request_id": "ping", "action": "ping"}""")).isEqualTo(json("""
					{"request_id": "ping", "status": "ok", "result": "pong"}"""));
			this.server.destroy(); // SIGTERM on Linux and macOS

			assertThat(client.nextMessage()).isEqualTo(json("""
					{"event": "$server.draining"}"""));
			assertThat(client.nextMessage()).isEqualTo(json("""
					{"request_id": "slow", "status": "ok", "result": 2000}"""));
			assertThat(client.awaitCloseCode()).isEqualTo(1001);
		}
		assertThat(this.server.waitFor(EXIT_LIMIT.toSeconds(), TimeUnit.SECONDS))
			.as("the server exited within %s; its log:%n%s", EXIT_LIMIT, log())
			.isTrue();
		assertThat(this.server.exitValue()).as("the exit status; the log:%n%s", log()).isEqualTo(EXIT_AFTER_SIGTERM);
		assertThat(log()).contains("Graceful shutdown complete").doesNotContain("ERROR");
	}

	private void awaitReadiness() throws InterruptedException {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		HttpRequest readiness = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(2))
			.build();
		Instant deadline = Instant.now().plus(STARTUP_LIMIT);
		while (Instant.now().isBefore(deadline)) {
			if (!this.server.isAlive()) {
				fail("The server exited with %d before it was ready; its log:%n%s", this.server.exitValue(), log());
			}
			try {
				if (http.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(250);
		}
		fail("The server was not ready within %s; its log:%n%s", STARTUP_LIMIT, log());
	}

	private String log() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(unreadable: " + ex + ")";
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
