package io.wsrpc.dispatch;

import java.util.List;

import io.wsrpc.protocol.FieldError;

/**
 * Params that do not bind to a method's parameters or do not pass its constraints;
 * becomes an {@code invalid_params} reply with one detail per field.
 */
class InvalidParamsException extends RuntimeException {

	private final List<FieldError> errors;

	InvalidParamsException(List<FieldError> errors) {
		super(message(errors), null, false, false);
		this.errors = List.copyOf(errors);
	}

	List<FieldError> errors() {
		return this.errors;
	}

	private static String message(List<FieldError> errors) {
		if (errors.size() == 1) {
			FieldError error = errors.get(0);
			return "Invalid params: '" + error.field() + "' " + error.message() + ".";
		}
		return "Invalid params: " + errors.size() + " problems; see details.";
	}

}
