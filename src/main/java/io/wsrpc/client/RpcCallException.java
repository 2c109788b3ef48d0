package io.wsrpc.client;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The server answered the call with an error.
 */
public class RpcCallException extends RpcClientException {

	private final RemoteError error;

	public RpcCallException(RemoteError error) {
		super(error.code() + ": " + error.message());
		this.error = Objects.requireNonNull(error, "error");
	}

	/**
	 * The error's name, such as {@code invalid_params}.
	 * @return the code
	 */
	public String code() {
		return this.error.code();
	}

	/**
	 * Structured facts about the error.
	 * @return the details, or {@code null}
	 */
	public @Nullable JsonNode details() {
		return this.error.details();
	}

	/**
	 * The whole error.
	 * @return the error
	 */
	public RemoteError error() {
		return this.error;
	}

}
