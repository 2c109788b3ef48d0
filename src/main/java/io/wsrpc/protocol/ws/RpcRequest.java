package io.wsrpc.protocol.ws;

import java.util.Objects;

import tools.jackson.databind.JsonNode;

/**
 * A request on {@code /ws}, as the codec accepted it.
 *
 * @param requestId a non-empty string of at most 128 characters or an integer, echoed in
 * the reply exactly as sent
 * @param action the name of the method to call
 * @param params an object (named params) or an array (positional params); an empty object
 * when the request had none
 */
public record RpcRequest(JsonNode requestId, String action, JsonNode params) {

	public RpcRequest {
		Objects.requireNonNull(requestId, "requestId");
		Objects.requireNonNull(action, "action");
		Objects.requireNonNull(params, "params");
	}

}
