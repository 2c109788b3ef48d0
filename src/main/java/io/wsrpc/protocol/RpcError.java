package io.wsrpc.protocol;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/**
 * Why a call failed, in the shape of {@code error} on {@code /ws}.
 *
 * @param code the snake_case name of the error
 * @param message a sentence for a person
 * @param details structured facts for a program, such as one entry per invalid field
 * @param jsonRpcCode the numeric code the same error has on {@code /jsonrpc}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "code", "message", "details" })
public record RpcError(String code, String message, @Nullable Object details, @JsonIgnore int jsonRpcCode) {

	public RpcError {
		Objects.requireNonNull(code, "code");
		Objects.requireNonNull(message, "message");
	}

	/**
	 * Creates a server error without details.
	 * @param code the server code
	 * @param message a sentence for a person
	 * @return the error
	 */
	public static RpcError of(ErrorCode code, String message) {
		return of(code, message, null);
	}

	/**
	 * Creates a server error.
	 * @param code the server code
	 * @param message a sentence for a person
	 * @param details structured facts, or {@code null}
	 * @return the error
	 */
	public static RpcError of(ErrorCode code, String message, @Nullable Object details) {
		return new RpcError(code.wireName(), message, details, code.jsonRpcCode());
	}

}
