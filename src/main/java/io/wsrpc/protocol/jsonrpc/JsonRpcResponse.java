package io.wsrpc.protocol.jsonrpc;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A JSON-RPC 2.0 response object: {@code jsonrpc}, then {@code result} or {@code error},
 * then {@code id}, which is always present ({@code null} when the request's id could not
 * be read).
 */
public sealed interface JsonRpcResponse permits JsonRpcResponse.Success, JsonRpcResponse.Failure {

	/** The protocol version every response carries. */
	String VERSION = "2.0";

	/**
	 * A call that returned.
	 *
	 * @param resultJson the result, already written as JSON
	 * @param id the request's id
	 */
	@JsonPropertyOrder({ "jsonrpc", "result", "id" })
	record Success(@JsonProperty("result") @JsonRawValue String resultJson,
			@JsonInclude(JsonInclude.Include.ALWAYS) JsonNode id) implements JsonRpcResponse {

		public Success {
			Objects.requireNonNull(resultJson, "resultJson");
			Objects.requireNonNull(id, "id");
		}

		@JsonProperty("jsonrpc")
		String jsonrpc() {
			return VERSION;
		}

	}

	/**
	 * A request that failed.
	 *
	 * @param error why it failed
	 * @param id the request's id, or {@code null} when it could not be read
	 */
	@JsonPropertyOrder({ "jsonrpc", "error", "id" })
	record Failure(JsonRpcError error,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable JsonNode id) implements JsonRpcResponse {

		public Failure {
			Objects.requireNonNull(error, "error");
		}

		@JsonProperty("jsonrpc")
		String jsonrpc() {
			return VERSION;
		}

	}

}
