package io.wsrpc.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code bench}: a load generator that checks every reply.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = {
		"Calls a method over many connections with many calls in flight, checks every reply, and reports throughput and latency.",
		"Exit code 0 when every call got exactly one correct reply, 1 otherwise, 2 when the run could not start." })
final class BenchCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Mixin
	ConnectionOptions connection = new ConnectionOptions();

	@Option(names = "--connections", defaultValue = "1",
			description = "Connections to open (default: ${DEFAULT-VALUE}).")
	int connections = 1;

	@Option(names = "--in-flight", defaultValue = "1",
			description = "Calls kept in flight on each connection (default: ${DEFAULT-VALUE}).")
	int inFlight = 1;

	@Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
			description = "How long to measure, after the warm-up, e.g. 30s or 2m; a bare number is milliseconds (default: ${DEFAULT-VALUE}); ignored with --requests.")
	Duration duration = Duration.ofSeconds(10);

	@Option(names = "--requests", defaultValue = "0",
			description = "Send this many measured calls instead of running for --duration.")
	long requests;

	@Option(names = "--warmup", defaultValue = "0s", converter = DurationConverter.class,
			description = "Calls before measuring starts, not counted, e.g. 10s; a bare number is milliseconds (default: ${DEFAULT-VALUE}).")
	Duration warmup = Duration.ZERO;

	@Option(names = "--call-interval", defaultValue = "0s", converter = DurationConverter.class,
			description = "Each connection starts a call at most once per this interval, the first calls of all connections spread over one interval, e.g. 10s or 2500us; a bare number is milliseconds (default: ${DEFAULT-VALUE}, back to back).")
	Duration callInterval = Duration.ZERO;

	@Option(names = "--echo",
			description = "The target echoes every frame (like /echo of a server with the echo-baseline profile): each request that comes back is its own reply, and results are not checked.")
	boolean echo;

	@Option(names = "--method", defaultValue = "add_numbers",
			description = "The method to call (default: ${DEFAULT-VALUE}, with params that differ per call and a checked sum).")
	String method = "add_numbers";

	@Option(names = "--params", description = "The params of every call, as JSON.")
	@Nullable String params;

	@Option(names = "--expect",
			description = "The result every call must return, as JSON; without it the first result is expected of all.")
	@Nullable String expect;

	@Option(names = "--client", defaultValue = "nio", paramLabel = "nio|jdk",
			description = "The WebSocket client of the load generator: nio, one thread that writes frames by hand and reads replies without building JSON trees, for ws:// URLs (wss:// falls back to jdk); or jdk, the JDK's java.net.http WebSocket, which costs several times the CPU per call (default: ${DEFAULT-VALUE}).")
	Bench.Client client = Bench.Client.NIO;

	@Option(names = "--json", description = "Print the result as JSON.")
	boolean json;

	@Override
	public Integer call() throws InterruptedException {
		if (this.connections < 1 || this.inFlight < 1 || this.requests < 0) {
			throw new IllegalArgumentException("--connections and --in-flight must be at least 1");
		}
		CliJson json = new CliJson();
		Bench.Settings settings = new Bench.Settings(this.connection.uri(), this.connection.clientOptions(),
				this.connections, this.inFlight, this.duration, this.requests, this.warmup, this.callInterval,
				this.method, parse(json, "--params", this.params), parse(json, "--expect", this.expect), this.echo,
				this.client);
		PrintWriter out = this.spec.commandLine().getOut();
		PrintWriter err = this.spec.commandLine().getErr();
		BenchResult result = new Bench(settings, json.mapper()).run(err);
		if (this.json) {
			out.println(json.pretty(result));
		}
		else {
			print(out, result);
		}
		return result.clean() ? Cli.OK : Cli.FAILED;
	}

	private static @Nullable JsonNode parse(CliJson json, String option, @Nullable String text) {
		if (text == null) {
			return null;
		}
		try {
			return json.mapper().readTree(text);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(option + " is not valid JSON: " + ex.getOriginalMessage());
		}
	}

	private static void print(PrintWriter out, BenchResult result) {
		BenchResult.Latency latency = result.latency();
		out.println(String.format(Locale.ROOT, "%s over %d connection(s) x %d in flight, %.1f s measured",
				result.method(), result.connections(), result.inFlight(), result.seconds()));
		out.println(String.format(Locale.ROOT, "calls       %,d ok, %,d errors, %,d wrong, %,d lost, %,d duplicate",
				result.ok(), result.errors(), result.wrong(), result.lost(), result.duplicate()));
		out.println(String.format(Locale.ROOT, "connections %,d held, %,d failed to open, %,d dropped", result.held(),
				result.failedConnections(), result.droppedConnections()));
		out.println(String.format(Locale.ROOT, "throughput  %,.0f calls/s", result.callsPerSecond()));
		out.println(String.format(Locale.ROOT, "latency ms  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f",
				latency.p50(), latency.p90(), latency.p99(), latency.p999(), latency.max()));
	}

}
