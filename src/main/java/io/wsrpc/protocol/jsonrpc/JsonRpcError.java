package io.wsrpc.protocol.jsonrpc;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.wsrpc.protocol.RpcError;
import org.jspecify.annotations.Nullable;

/**
 * The {@code error} member of a JSON-RPC 2.0 response.
 *
 * @param code the numeric code (-32700, -32600 to -32603, -32000 to -32099, or an
 * application's own)
 * @param message a sentence for a person
 * @param data the error's snake_case name (the same as on {@code /ws}) and its details
 */
@JsonPropertyOrder({ "code", "message", "data" })
public record JsonRpcError(int code, String message, Data data) {

	public JsonRpcError {
		Objects.requireNonNull(message, "message");
		Objects.requireNonNull(data, "data");
	}

	/**
	 * Writes an error of either dialect in JSON-RPC's shape.
	 * @param error the error
	 * @return the JSON-RPC error
	 */
	public static JsonRpcError from(RpcError error) {
		return new JsonRpcError(error.jsonRpcCode(), error.message(), new Data(error.code(), error.details()));
	}

	/**
	 * The {@code data} member.
	 *
	 * @param code the snake_case name of the error
	 * @param details structured facts, such as one entry per invalid field
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonPropertyOrder({ "code", "details" })
	public record Data(String code, @Nullable Object details) {

		public Data {
			Objects.requireNonNull(code, "code");
		}

	}

}
