package com.example.greeter;

import io.wsrpc.api.RpcMethod;

import org.springframework.stereotype.Component;

/**
 * A method clients call as {@code greet} with a {@code name}.
 */
@Component
public class Greeter {

	@RpcMethod("greet")
	public String greet(String name) {
		return "Hello, " + name + "!";
	}

}
