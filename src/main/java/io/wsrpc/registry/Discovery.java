package io.wsrpc.registry;

import java.util.Objects;

import tools.jackson.databind.JsonNode;

/**
 * The built-in {@code rpc.discover} method, registered by the registry itself on both
 * endpoints.
 */
public final class Discovery {

	/** The name {@link #discover()} answers to, as OpenRPC defines it. */
	public static final String METHOD_NAME = "rpc.discover";

	private final JsonNode document;

	Discovery(JsonNode document) {
		this.document = Objects.requireNonNull(document, "document");
	}

	/**
	 * Describes every method of the server.
	 * @return the OpenRPC document
	 */
	public JsonNode discover() {
		return this.document;
	}

}
