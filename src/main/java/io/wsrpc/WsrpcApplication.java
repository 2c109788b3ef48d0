package io.wsrpc;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Starts the server.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WsrpcApplication {

	public static void main(String[] args) {
		SpringApplication.run(WsrpcApplication.class, args);
	}

}
