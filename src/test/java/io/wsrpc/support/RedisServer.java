package io.wsrpc.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} process on a free loopback port, for tests. Where Redis is
 * not installed the test is skipped with a message, unless {@code WSRPC_REQUIRE_REDIS} is
 * set (CI sets it, and installs Redis), in which case it fails.
 */
public final class RedisServer implements AutoCloseable {

	private static final String BINARY = "/usr/bin/redis-server";

	private final int port;

	private Process process;

	private RedisServer(int port) throws IOException, InterruptedException {
		this.port = port;
		this.process = launch();
	}

	public static RedisServer start() throws IOException, InterruptedException {
		boolean installed = new File(BINARY).canExecute();
		if (!installed && System.getenv("WSRPC_REQUIRE_REDIS") != null) {
			throw new IllegalStateException(BINARY + " is missing; .ci/run installs it with apt-get");
		}
		Assumptions.assumeTrue(installed, "Skipped: no " + BINARY + " on this machine (apt-get install redis-server)");
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		return new RedisServer(port);
	}

	public int port() {
		return this.port;
	}

	public void stop() throws InterruptedException {
		this.process.destroy();
		this.process.waitFor(10, TimeUnit.SECONDS);
	}

	public void restart() throws IOException, InterruptedException {
		this.process = launch();
	}

	/**
	 * Freezes the server (SIGSTOP): its connections stay open, but it answers nothing
	 * until {@link #resume()}.
	 */
	public void pause() throws IOException, InterruptedException {
		signal("-STOP");
	}

	/**
	 * Lets a paused server go on (SIGCONT).
	 */
	public void resume() throws IOException, InterruptedException {
		signal("-CONT");
	}

	/**
	 * Runs a command with {@code redis-cli}.
	 * @return what it printed
	 */
	public String cli(String... command) throws IOException, InterruptedException {
		List<String> line = new ArrayList<>(
				List.of(BINARY.replace("redis-server", "redis-cli"), "-p", Integer.toString(this.port)));
		line.addAll(List.of(command));
		Process cli = new ProcessBuilder(line).redirectErrorStream(true).start();
		String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		if (!cli.waitFor(10, TimeUnit.SECONDS) || cli.exitValue() != 0) {
			throw new IllegalStateException("redis-cli " + line + " failed: " + output);
		}
		return output;
	}

	private void signal(String signal) throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("kill", signal, Long.toString(this.process.pid())).inheritIO().start();
		if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
			throw new IllegalStateException("kill " + signal + " failed");
		}
	}

	@Override
	public void close() throws InterruptedException {
		stop();
	}

	private Process launch() throws IOException, InterruptedException {
		Process started = new ProcessBuilder(BINARY, "--port", Integer.toString(this.port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline) {
			try (Socket probe = new Socket("127.0.0.1", this.port)) {
				return started;
			}
			catch (IOException ex) {
				Thread.sleep(50);
			}
		}
		started.destroy();
		throw new IllegalStateException("redis-server did not start on port " + this.port);
	}

}
