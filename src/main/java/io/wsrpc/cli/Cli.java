package io.wsrpc.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Set;

import io.wsrpc.client.RpcClientException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line tool: {@code java -jar wsrpc.jar COMMAND ...}. Runs without starting
 * Spring. Failures print one line to standard error, never a stack trace.
 */
@Command(name = "wsrpc", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
		description = "Calls a wsrpc server. Without a command, java -jar wsrpc.jar starts the server.",
		subcommands = { CallCommand.class, DemoCommand.class, SubscribeCommand.class, BenchCommand.class,
				FanoutCommand.class, CommandLine.HelpCommand.class })
public final class Cli {

	/** Exit code of a command that worked. */
	static final int OK = 0;

	/** Exit code of an error reply (call) or a run with failed calls (bench). */
	static final int FAILED = 1;

	/** Exit code of bad arguments, a connection that could not be made, or a timeout. */
	static final int UNUSABLE = 2;

	private static final Set<String> COMMANDS = Set.of("call", "demo", "subscribe", "bench", "fanout", "help", "--help",
			"-h", "--version", "-V");

	private Cli() {
	}

	/**
	 * Whether the arguments ask for a command rather than the server.
	 * @param args the program's arguments
	 * @return {@code true} if the first argument names a command
	 */
	public static boolean isCommand(String[] args) {
		return args.length > 0 && COMMANDS.contains(args[0]);
	}

	/**
	 * Runs a command.
	 * @param args the arguments, command first
	 * @param out where output goes
	 * @param err where errors and progress go
	 * @return the exit code
	 */
	public static int run(String[] args, PrintStream out, PrintStream err) {
		return run(args, out, err, System.getenv());
	}

	/**
	 * Runs a command with the given environment variables, from which options such as
	 * {@code --token} take their values when not given.
	 * @param args the arguments, command first
	 * @param out where output goes
	 * @param err where errors and progress go
	 * @param environment the environment variables
	 * @return the exit code
	 */
	static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment) {
		CommandLine commandLine = new CommandLine(new Cli());
		commandLine.setDefaultValueProvider(ConnectionOptions.fromEnvironment(environment));
		commandLine.setOut(new PrintWriter(out, true));
		commandLine.setErr(new PrintWriter(err, true));
		commandLine.setCaseInsensitiveEnumValuesAllowed(true);
		commandLine.setParameterExceptionHandler((ex, arguments) -> {
			CommandLine failed = ex.getCommandLine();
			failed.getErr().println("error: " + ex.getMessage());
			failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help'.");
			return UNUSABLE;
		});
		commandLine.setExecutionExceptionHandler((ex, failed, parseResult) -> {
			failed.getErr().println("error: " + message(ex));
			return UNUSABLE;
		});
		return commandLine.execute(args);
	}

	private static String message(Exception ex) {
		if (ex instanceof RpcClientException || ex instanceof IllegalArgumentException) {
			return ex.getMessage();
		}
		String message = ex.getMessage();
		return (message != null) ? message : ex.getClass().getSimpleName();
	}

	static final class Version implements CommandLine.IVersionProvider {

		@Override
		public String[] getVersion() {
			String version = Cli.class.getPackage().getImplementationVersion();
			return new String[] { "wsrpc " + ((version != null) ? version : "dev") };
		}

	}

}
