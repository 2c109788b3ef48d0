package io.wsrpc.protocol;

import java.util.Objects;

/**
 * One entry of the {@code details} of an {@code invalid_params} error.
 *
 * @param field the param's name, followed by the path inside it for nested values (for
 * example {@code point.x} or {@code tags[2]})
 * @param message what is wrong with it, for a person
 */
public record FieldError(String field, String message) {

	public FieldError {
		Objects.requireNonNull(field, "field");
		Objects.requireNonNull(message, "message");
	}

}
