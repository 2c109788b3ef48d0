package com.example.greeter;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application's own HTTP endpoint, which wsrpc's security leaves alone.
 */
@RestController
public class HelloController {

	@GetMapping("/hello")
	public String hello() {
		return "hi";
	}

}
