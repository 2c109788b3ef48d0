package io.wsrpc.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.wsrpc.support.TestMethods;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command-line tool against a server that wants a key, given with {@code --token} or
 * in {@code WSRPC_TOKEN}. Same server settings as {@code SecurityIntegrationTests}, so
 * the two share one server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "wsrpc.security.enabled=true", "wsrpc.security.api-keys[0].name=alice",
				"wsrpc.security.api-keys[0].sha256=0845e3658edc1c91bfc9d172eeae3e60417056b1b7fe9909c00e05023adb7f1d",
				"wsrpc.security.api-keys[0].roles=user", "wsrpc.security.api-keys[1].name=root",
				"wsrpc.security.api-keys[1].sha256=69a5265506c94c77b787a7d7377b7685a0eff82e33920a71e7ee22cd6154953e",
				"wsrpc.security.api-keys[1].roles=user,admin", "wsrpc.allowed-origins=https://app.example.com" })
@Import(TestMethods.Config.class)
class CliTokenIntegrationTests {

	private static final String USER_KEY = "user-key";

	private static final String ADMIN_KEY = "admin-key";

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
