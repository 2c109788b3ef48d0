package io.wsrpc.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.wsrpc.client.ClientOptions;
import io.wsrpc.client.ConnectionListener;
import io.wsrpc.client.ReconnectPolicy;
import io.wsrpc.client.RpcClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code subscribe TOPIC}: prints each event as one line of JSON as it arrives, until
 * stopped or until {@code --count} events have come. Reconnects and subscribes again
 * after a drop, to the next {@code --url} if several are given, at once when the server
 * is shutting down; an exact topic resumes where it left off, so no event is printed
 * twice, and a line on standard error says when events published meanwhile could not be
 * recovered.
 */
@Command(name = "subscribe", mixinStandardHelpOptions = true,
		description = "Subscribes to a topic (or prefix.* for every topic below it) and prints each event as a line of JSON.")
final class SubscribeCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Mixin
	ConnectionOptions connection = new ConnectionOptions();

	@Parameters(index = "0", paramLabel = "TOPIC", description = "The topic, or a prefix ending in .*")
	String topic = "";

	@Option(names = "--count", defaultValue = "0",
			description = "Exit after this many events (default: run until stopped).")
	long count;

	@Override
	public Integer call() throws InterruptedException {
		PrintWriter out = this.spec.commandLine().getOut();
		PrintWriter err = this.spec.commandLine().getErr();
		CliJson json = new CliJson();
		CountDownLatch remaining = new CountDownLatch((this.count > 0) ? (int) this.count : 1);
		ClientOptions options = this.connection.clientOptions().withReconnect(ReconnectPolicy.defaults());
		try (RpcClient client = RpcClient.connect(this.connection.uris(), options)) {
			client.addListener(new ConnectionListener() {

				@Override
				public void onRecoveryFailed(String topic) {
					synchronized (out) {
						err.println("warning: events of '" + topic + "' published while disconnected are lost");
						err.flush();
					}
				}

			});
			CallCommand.join(client.subscribe(this.topic, (event) -> {
				ObjectNode line = json.mapper().createObjectNode();
				line.put("topic", event.topic());
				line.set("data", event.data());
				if (event.offset() > 0) {
					line.put("offset", event.offset());
				}
				synchronized (out) {
					out.println(json.compact(line));
					out.flush();
				}
				if (this.count > 0) {
					remaining.countDown();
				}
			}));
			remaining.await();
		}
		return Cli.OK;
	}

}
