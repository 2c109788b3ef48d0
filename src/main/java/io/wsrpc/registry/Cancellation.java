package io.wsrpc.registry;

import io.wsrpc.api.RpcMethod;
import tools.jackson.databind.JsonNode;

/**
 * The built-in {@code rpc.cancel} method, listed by {@code rpc.discover} on both
 * endpoints. Only the dispatcher can tell which calls run on the caller's connection, so
 * it answers {@code rpc.cancel} itself; this class gives the method its name, its param
 * and its result type.
 */
public final class Cancellation {

	/** The name clients call it by. */
	public static final String METHOD_NAME = "rpc.cancel";

	Cancellation() {
	}

	/**
	 * Cancels a call still running on the caller's connection.
	 * @param request_id the request id of the call, matched as a JSON value: the string
	 * {@code "9"} is not the number {@code 9}
	 * @return whether such a call was running and is now cancelled
	 */
	@RpcMethod(value = METHOD_NAME,
			description = "Cancels a call still running on the caller's connection, "
					+ "found by its request id; the call is answered with cancelled. "
					+ "Returns whether such a call was running.")
	public boolean cancel(JsonNode request_id) { // the param's name is its wire name
		throw new IllegalStateException("rpc.cancel is answered by the dispatcher");
	}

}
