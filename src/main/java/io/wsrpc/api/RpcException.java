package io.wsrpc.api;

import java.util.Objects;

import io.wsrpc.protocol.ErrorCode;
import org.jspecify.annotations.Nullable;

/**
 * Fails a call on purpose with the application's own code; the code, message and details
 * reach the client unchanged. On {@code /jsonrpc} the error's numeric code is
 * {@code jsonRpcCode}; when not given it is the standard code of a server code of the
 * same name (for example {@code invalid_params} is -32602) and
 * {@value #DEFAULT_JSON_RPC_CODE} otherwise.
 */
public class RpcException extends RuntimeException {

	/** The JSON-RPC code of application errors that name none. */
	public static final int DEFAULT_JSON_RPC_CODE = -32000;

	private final String code;

	private final @Nullable Object details;

	private final @Nullable Integer jsonRpcCode;

	/**
	 * Creates an error with one of the server's own codes and no details.
	 * @param code the code, whose name and JSON-RPC code reach the client
	 * @param message a sentence for a person
	 */
	public RpcException(ErrorCode code, String message) {
		this(code.wireName(), message, null, code.jsonRpcCode());
	}

	/**
	 * Creates an error with no details.
	 * @param code a short snake_case name, such as {@code not_found}
	 * @param message a sentence for a person
	 */
	public RpcException(String code, String message) {
		this(code, message, null);
	}

	/**
	 * Creates an error.
	 * @param code a short snake_case name, such as {@code not_found}
	 * @param message a sentence for a person
	 * @param details any value Jackson can write, or {@code null}
	 */
	public RpcException(String code, String message, @Nullable Object details) {
		this(code, message, details, null);
	}

	/**
	 * Creates an error with its own JSON-RPC code.
	 * @param code a short snake_case name, such as {@code not_found}
	 * @param message a sentence for a person
	 * @param details any value Jackson can write, or {@code null}
	 * @param jsonRpcCode the numeric code on {@code /jsonrpc}, or {@code null} for the
	 * default
	 */
	public RpcException(String code, String message, @Nullable Object details, @Nullable Integer jsonRpcCode) {
		super(Objects.requireNonNull(message, "message"), null, false, false);
		this.code = Objects.requireNonNull(code, "code");
		this.details = details;
		this.jsonRpcCode = jsonRpcCode;
	}

	/**
	 * The error's name on the wire.
	 * @return the code
	 */
	public String code() {
		return this.code;
	}

	/**
	 * Structured facts about the error for the client.
	 * @return the details, or {@code null}
	 */
	public @Nullable Object details() {
		return this.details;
	}

	/**
	 * The numeric code the application chose for {@code /jsonrpc}.
	 * @return the code, or {@code null} for the default
	 */
	public @Nullable Integer jsonRpcCode() {
		return this.jsonRpcCode;
	}

}
