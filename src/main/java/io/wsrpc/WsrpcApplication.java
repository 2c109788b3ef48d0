package io.wsrpc;

import io.wsrpc.cli.Cli;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/**
 * Starts the server.
 */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
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
