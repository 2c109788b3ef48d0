package io.wsrpc.dispatch;

import java.util.Objects;

import io.wsrpc.api.CallContext;
import io.wsrpc.protocol.Dialect;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One call to run, whichever dialect it came in.
 *
 * @param dialect the endpoint it came through
 * @param requestId the request's id, for logs; {@code null} for a JSON-RPC notification
 * @param method the name of the method to call
 * @param params an object (named params) or an array (positional params)
 * @param context who is calling, over which connection
 */
public record Call(Dialect dialect, @Nullable JsonNode requestId, String method, JsonNode params, CallContext context) {

	public Call {
		Objects.requireNonNull(dialect, "dialect");
		Objects.requireNonNull(method, "method");
		Objects.requireNonNull(params, "params");
		Objects.requireNonNull(context, "context");
	}

}
