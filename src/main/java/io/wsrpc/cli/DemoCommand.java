package io.wsrpc.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.wsrpc.client.Reply;
import io.wsrpc.client.RpcClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code demo}: what the reference clients of RPC-over-WebSocket servers do, one call to
 * each of add_numbers, multiply_numbers and echo, each request and reply printed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
		description = "Calls add_numbers, multiply_numbers and echo and prints each request and reply.")
final class DemoCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Mixin
	ConnectionOptions connection = new ConnectionOptions();

	@Override
	public Integer call() {
		PrintWriter out = this.spec.commandLine().getOut();
		CliJson json = new CliJson();
		String[][] calls = { { "add_numbers", "{\"a\": 5, \"b\": 10}" }, { "multiply_numbers", "{\"a\": 6, \"b\": 7}" },
				{ "echo", "{\"message\": \"Hello, wsrpc!\"}" } };
		boolean allOk = true;
		try (RpcClient client = RpcClient.connect(this.connection.uri(), this.connection.clientOptions())) {
			out.println("Connected to " + this.connection.uri());
			for (String[] call : calls) {
				JsonNode params = json.mapper().readTree(call[1]);
				out.println();
				out.println("-> " + call[0] + " " + json.compact(params));
				Reply reply = CallCommand.join(client.request(call[0], params));
				out.println("<- " + json.compact(reply.message()));
				allOk &= reply.isOk();
			}
		}
		return allOk ? Cli.OK : Cli.FAILED;
	}

}
