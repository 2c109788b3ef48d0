package io.wsrpc.client;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The error a server replied with.
 *
 * @param code the error's name, such as {@code invalid_params} or an application's
 * {@code not_found}
 * @param message the server's sentence about it
 * @param details structured facts, or {@code null}
 * @param jsonRpcCode the numeric code on {@code /jsonrpc}, or {@code null} on {@code /ws}
 */
public record RemoteError(String code, String message, @Nullable JsonNode details, @Nullable Integer jsonRpcCode) {

	public RemoteError {
		Objects.requireNonNull(code, "code");
		Objects.requireNonNull(message, "message");
	}

}
