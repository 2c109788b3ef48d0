package io.wsrpc.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.wsrpc.support.SecuredServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static io.wsrpc.support.SecuredServer.ADMIN_KEY;
import static io.wsrpc.support.SecuredServer.USER_KEY;
import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command-line tool against a server that wants a key, given with {@code --token} or
 * in {@code WSRPC_TOKEN}. The server is a {@link SecuredServer}.
 */
@SecuredServer
class CliTokenIntegrationTests {

	@LocalServerPort
	private int port;

	@Test
	void tokenComesFromWsrpcTokenWhenNoOptionGivesIt() {
		Run run = run(Map.of("WSRPC_TOKEN", USER_KEY), "call", "test.whoami", "greeting=hi");
		assertThat(run.code()).isZero();
		assertThat(json(run.out()).get("result").asString()).isEqualTo("hi alice [user]");
	}

	@Test
	void tokenOptionWinsOverWsrpcToken() {
		Run run = run(Map.of("WSRPC_TOKEN", USER_KEY), "call", "test.whoami", "greeting=hi", "--token", ADMIN_KEY);
		assertThat(run.code()).isZero();
		assertThat(json(run.out()).get("result").asString()).isEqualTo("hi root [admin, user]");
	}

	private Run run(Map<String, String> environment, String... args) {
		String[] withUrl = new String[args.length + 2];
		System.arraycopy(args, 0, withUrl, 0, args.length);
		withUrl[args.length] = "--url";
		withUrl[args.length + 1] = "ws://localhost:" + this.port + "/ws";
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = Cli.run(withUrl, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8), environment);
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	private record Run(int code, String out, String err) {

	}

}
