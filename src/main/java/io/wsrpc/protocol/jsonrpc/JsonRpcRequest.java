package io.wsrpc.protocol.jsonrpc;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A JSON-RPC 2.0 request object, as the codec accepted it.
 *
 * @param id a string, number or {@code null} node echoed in the response; Java
 * {@code null} for a notification, which gets no response
 * @param method the name of the method to call
 * @param params an object (named params) or an array (positional params); an empty object
 * when the request had none
 */
public record JsonRpcRequest(@Nullable JsonNode id, String method, JsonNode params) {

	public JsonRpcRequest {
		Objects.requireNonNull(method, "method");
		Objects.requireNonNull(params, "params");
	}

	/**
	 * Whether the request is a notification: it has no {@code id} member and gets no
	 * response, not even an error.
	 * @return {@code true} for a notification
	 */
	public boolean isNotification() {
		return this.id == null;
	}

}
