package io.wsrpc;

import io.wsrpc.cli.Cli;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/**
 * wsrpc's own application: the server with the demo methods, the console page and the
 * actuator as this project serves them, or the command-line tool. The server itself comes
 * from wsrpc's auto-configuration, as in any application that depends on wsrpc; what this
 * class's component scan adds is the application's part.
 */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
public class WsrpcApplication {

	/**
	 * Starts the server, or with a command ({@code call}, {@code demo}, {@code bench},
	 * {@code help}) runs the command-line tool instead.
	 * @param args the arguments
	 */
	public static void main(String[] args) {
		if (Cli.isCommand(args)) {
			System.exit(Cli.run(args, System.out, System.err));
		}
		SpringApplication.run(WsrpcApplication.class, args);
	}

}
