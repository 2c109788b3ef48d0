package io.wsrpc.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.wsrpc.client.Reply;
import io.wsrpc.client.RpcClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code call METHOD [PARAMS]}: one call, the reply printed as pretty JSON.
 */
@Command(name = "call", mixinStandardHelpOptions = true,
		description = { "Calls one method and prints the reply as pretty JSON.",
				"Exit code 0 for an ok reply, 1 for an error reply, 2 when no reply came." })
final class CallCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Mixin
	ConnectionOptions connection = new ConnectionOptions();

	@Parameters(index = "0", paramLabel = "METHOD", description = "The method's name, e.g. add_numbers.")
	String method = "";

	@Parameters(index = "1..*", paramLabel = "PARAMS",
			description = "name=value pairs (values are JSON where they parse, strings otherwise), or one JSON object or array.")
	List<String> params = new ArrayList<>();

	@Override
	public Integer call() {
		PrintWriter out = this.spec.commandLine().getOut();
		CliJson json = new CliJson();
		JsonNode params = Params.parse(json.mapper(), this.params);
		try (RpcClient client = RpcClient.connect(this.connection.uri(), this.connection.clientOptions())) {
			Reply reply = join(client.request(this.method, params));
			out.println(json.pretty(reply.message()));
			return reply.isOk() ? Cli.OK : Cli.FAILED;
		}
	}

	static <T> T join(CompletableFuture<T> future) {
		try {
			return future.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw ex;
		}
	}

}
