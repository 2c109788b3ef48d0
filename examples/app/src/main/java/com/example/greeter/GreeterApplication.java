package com.example.greeter;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application of its own: wsrpc's auto-configuration serves its {@link Greeter} on
 * {@code /ws} and {@code /jsonrpc}, and {@link HelloController} answers as in any Spring
 * MVC application.
 */
@SpringBootApplication
public class GreeterApplication {

	public static void main(String[] args) {
		SpringApplication.run(GreeterApplication.class, args);
	}

}
