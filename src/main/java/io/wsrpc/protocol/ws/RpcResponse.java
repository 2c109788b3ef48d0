package io.wsrpc.protocol.ws;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.wsrpc.protocol.RpcError;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A reply on {@code /ws}. Every request whose connection stays open gets exactly one.
 */
public sealed interface RpcResponse permits RpcResponse.Success, RpcResponse.Failure {

	/**
	 * The id of the request this answers.
	 * @return the id as sent, or {@code null} when it could not be read
	 */
	@Nullable JsonNode requestId();

	/**
	 * A call that returned.
	 *
	 * @param requestId the request's id
	 * @param resultJson the result, already written as JSON
	 */
	@JsonPropertyOrder({ "request_id", "status", "result" })
	record Success(@JsonProperty("request_id") JsonNode requestId,
			@JsonProperty("result") @JsonRawValue String resultJson) implements RpcResponse {

		public Success {
			Objects.requireNonNull(requestId, "requestId");
			Objects.requireNonNull(resultJson, "resultJson");
		}

		@JsonProperty("status")
		String status() {
			return "ok";
		}

	}

	/**
	 * A request that failed.
	 *
	 * @param requestId the request's id, or {@code null} when it could not be read
	 * @param error why it failed
	 */
	@JsonPropertyOrder({ "request_id", "status", "error" })
	record Failure(@JsonProperty("request_id") @Nullable JsonNode requestId, RpcError error) implements RpcResponse {

		public Failure {
			Objects.requireNonNull(error, "error");
		}

		@JsonProperty("status")
		String status() {
			return "error";
		}

	}

}
