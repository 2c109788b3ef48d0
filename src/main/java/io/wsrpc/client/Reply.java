package io.wsrpc.client;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One reply as the server sent it, in either dialect.
 *
 * @param message the whole reply object
 * @param id the request id it answers ({@code null} node when the server could not read
 * one)
 * @param result the result of a successful call ({@code null} node for void), or
 * {@code null} for an error
 * @param error the error, or {@code null} for a success
 */
public record Reply(JsonNode message, JsonNode id, @Nullable JsonNode result, @Nullable RemoteError error) {

	public Reply {
		Objects.requireNonNull(message, "message");
		Objects.requireNonNull(id, "id");
		if ((result == null) == (error == null)) {
			throw new IllegalArgumentException("A reply has either a result or an error");
		}
	}

	/**
	 * Whether the call succeeded.
	 * @return {@code true} for a result, {@code false} for an error
	 */
	public boolean isOk() {
		return this.error == null;
	}

}
