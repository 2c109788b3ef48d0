package io.wsrpc.protocol;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Why the server failed a call: a snake_case name on {@code /ws}, a JSON-RPC 2.0 code on
 * {@code /jsonrpc}. Applications add their own names through
 * {@link io.wsrpc.api.RpcException}.
 */
public enum ErrorCode {

	/** The frame is not JSON. */
	PARSE_ERROR("parse_error", -32700),

	/**
	 * JSON that is not a request: wrong shape, or a member missing or of the wrong type.
	 */
	INVALID_REQUEST("invalid_request", -32600),

	/** No method answers to the requested name. */
	METHOD_NOT_FOUND("method_not_found", -32601),

	/** Params that do not bind or do not validate; {@code details} names each field. */
	INVALID_PARAMS("invalid_params", -32602),

	/** The method failed in a way the client cannot mend; the server logs the cause. */
	INTERNAL_ERROR("internal_error", -32603),

	/** The call ran past its deadline; its result, if any, is dropped. */
	TIMEOUT("timeout", -32001),

	/**
	 * The connection already runs as many calls as it may, or the server is shutting
	 * down.
	 */
	OVERLOADED("overloaded", -32002),

	/** The method needs an authenticated caller and this one is anonymous. */
	UNAUTHORIZED("unauthorized", -32003),

	/** The caller lacks every role the method needs. */
	FORBIDDEN("forbidden", -32004),

	/**
	 * The connection sent messages faster than its rate limit; {@code details} says when
	 * to retry.
	 */
	RATE_LIMITED("rate_limited", -32005),

	/**
	 * The client cancelled the call ({@code rpc.cancel}, or {@code $/cancelRequest} on
	 * {@code /jsonrpc}), and the server stopped it; -32800 as in the Language Server
	 * Protocol.
	 */
	CANCELLED("cancelled", -32800);

	private static final Map<String, ErrorCode> BY_WIRE_NAME = Arrays.stream(values())
		.collect(Collectors.toUnmodifiableMap(ErrorCode::wireName, Function.identity()));

	private final String wireName;

	private final int jsonRpcCode;

	ErrorCode(String wireName, int jsonRpcCode) {
		this.wireName = wireName;
		this.jsonRpcCode = jsonRpcCode;
	}

	/**
	 * The code as written in {@code error.code} on {@code /ws}.
	 * @return the snake_case name
	 */
	public String wireName() {
		return this.wireName;
	}

	/**
	 * The code as written in {@code error.code} on {@code /jsonrpc}.
	 * @return the JSON-RPC 2.0 code
	 */
	public int jsonRpcCode() {
		return this.jsonRpcCode;
	}

	/**
	 * Finds the server code with the given wire name.
	 * @param wireName a snake_case name
	 * @return the code, or empty for a name the server does not define
	 */
	public static Optional<ErrorCode> fromWireName(String wireName) {
		return Optional.ofNullable(BY_WIRE_NAME.get(wireName));
	}

}
