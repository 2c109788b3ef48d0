package io.wsrpc.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.wsrpc.client.ClientOptions;
import io.wsrpc.client.ReconnectPolicy;
import io.wsrpc.protocol.Dialect;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The options every command shares: where the server is, how to authenticate, how long to
 * wait.
 */
final class ConnectionOptions {

	@Option(names = "--url", defaultValue = "ws://localhost:8080/ws", paramLabel = "URL",
			description = "The endpoint: ws://host:port/ws for the native protocol, .../jsonrpc for JSON-RPC 2.0 (default: ${DEFAULT-VALUE}). subscribe takes it more than once, for servers to move between.")
	List<String> urls = List.of("ws://localhost:8080/ws");

	/**
	 * The environment variable that holds the token when {@code --token} is not given.
	 */
	static final String TOKEN_VARIABLE = "WSRPC_TOKEN";

	@Option(names = "--token", paramLabel = "TOKEN",
			description = "Sends 'Authorization: Bearer TOKEN' with the handshake. Without this option the token comes from the environment variable "
					+ TOKEN_VARIABLE + ", which, unlike an argument, does not show in ps; the option wins over it.")
	@Nullable String token;

	@Option(names = "--timeout", defaultValue = "10s", paramLabel = "DURATION", converter = DurationConverter.class,
			description = "How long to wait for the connection and for each reply, e.g. 500ms, 10s, 1m; a bare number is milliseconds (default: ${DEFAULT-VALUE}).")
	Duration timeout = Duration.ofSeconds(10);

	/**
	 * Takes the default of {@code --token} from {@value #TOKEN_VARIABLE}.
	 * @param environment the environment variables
	 * @return the provider of default values for every command
	 */
	static IDefaultValueProvider fromEnvironment(Map<String, String> environment) {
		return (argument) -> {
			if (argument instanceof OptionSpec option && option.longestName().equals("--token")) {
				return environment.get(TOKEN_VARIABLE);
			}
			return null;
		};
	}

	/**
	 * The one URL of a command that connects to one server.
	 * @return the URL
	 */
	URI uri() {
		if (this.urls.size() > 1) {
			throw new IllegalArgumentException("--url may be given only once for this command");
		}
		return uris().get(0);
	}

	/**
	 * Every URL given, in order.
	 * @return the URLs
	 */
	List<URI> uris() {
		return this.urls.stream().map(ConnectionOptions::parse).toList();
	}

	private static URI parse(String url) {
		try {
			URI uri = new URI(url);
			if (!"ws".equalsIgnoreCase(uri.getScheme()) && !"wss".equalsIgnoreCase(uri.getScheme())
					|| uri.getHost() == null) {
				throw new IllegalArgumentException("'" + url + "' is not a ws:// or wss:// URL");
			}
			return uri;
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("'" + url + "' is not a URL: " + ex.getReason());
		}
	}

	Dialect dialect() {
		String path = uris().get(0).getPath();
		return (path != null && path.endsWith("/jsonrpc")) ? Dialect.JSON_RPC : Dialect.NATIVE;
	}

	ClientOptions clientOptions() {
		ClientOptions options = ClientOptions.defaults()
			.withConnectTimeout(this.timeout)
			.withCallTimeout(this.timeout)
			.withReconnect(ReconnectPolicy.none())
			.withDialect(dialect());
		return (this.token != null) ? options.withBearerToken(this.token) : options;
	}

}
