package io.wsrpc.demo;

import java.math.BigDecimal;
import java.util.List;

import io.wsrpc.api.RpcException;
import io.wsrpc.api.RpcMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Methods to try the server with. Arithmetic is exact decimal arithmetic on any JSON
 * numbers: integers stay integers and never overflow, and 0.1 + 0.2 is 0.3.
 */
@Component
@ConditionalOnBooleanProperty(name = "wsrpc.demo.enabled", matchIfMissing = true)
class DemoMethods {

	/**
	 * The largest decimal exponent an operand may carry, either way: enough for any real
	 * quantity, and small enough that no result grows past a few thousand digits.
	 */
	static final int MAX_SCALE = 2000;

	@RpcMethod(value = "add_numbers", inline = true, description = "Adds two JSON numbers exactly: integers stay "
			+ "integers and never overflow, and 0.1 + 0.2 is 0.3. Exponents may be between -2000 and 2000.")
	public BigDecimal addNumbers(BigDecimal a, BigDecimal b) {
		return integral(checked("a", a).add(checked("b", b)));
	}

	@RpcMethod(value = "multiply_numbers", inline = true,
			description = "Multiplies two JSON numbers exactly. Exponents may be between -2000 and 2000.")
	public BigDecimal multiplyNumbers(BigDecimal a, BigDecimal b) {
		return integral(checked("a", a).multiply(checked("b", b)));
	}

	@RpcMethod(inline = true, description = "Returns the message it is given.")
	public String echo(String message) {
		return message;
	}

	@RpcMethod(inline = true, description = "Returns \"pong\".")
	public String ping() {
		return "pong";
	}

	@RpcMethod(inline = true, description = "Returns the text reversed by Unicode code point.")
	public String reverse(String text) {
		int[] codePoints = text.codePoints().toArray();
		StringBuilder reversed = new StringBuilder(text.length());
		for (int i = codePoints.length - 1; i >= 0; i--) {
			reversed.appendCodePoint(codePoints[i]);
		}
		return reversed.toString();
	}

	@RpcMethod(description = "Waits ms milliseconds (0 to 10000), then returns ms.")
	public long sleep(@Min(0) @Max(10_000) long ms) throws InterruptedException {
		Thread.sleep(ms);
		return ms;
	}

	/**
	 * Writes a whole number held with a positive exponent (1E+4) as the integer it is
	 * (10000), so that clients read it as an integer.
	 */
	private static BigDecimal integral(BigDecimal result) {
		return (result.scale() < 0) ? result.setScale(0) : result;
	}

	private static BigDecimal checked(String name, BigDecimal operand) {
		if (operand.scale() > MAX_SCALE || operand.scale() < -MAX_SCALE) {
			throw new RpcException("invalid_params", "Invalid params: '" + name + "' has too large an exponent.",
					List.of(new FieldError(name, "must have an exponent between -" + MAX_SCALE + " and " + MAX_SCALE)));
		}
		return operand;
	}

	private record FieldError(String field, String message) {
	}

}
