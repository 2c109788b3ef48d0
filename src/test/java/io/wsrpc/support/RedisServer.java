package io.wsrpc.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
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
