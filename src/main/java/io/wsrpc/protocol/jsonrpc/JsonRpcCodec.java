package io.wsrpc.protocol.jsonrpc;

import java.util.ArrayList;
import java.util.List;

import io.wsrpc.protocol.ErrorCode;
import io.wsrpc.protocol.Outcome;
import io.wsrpc.protocol.RpcError;
import io.wsrpc.protocol.RpcJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads JSON-RPC 2.0 frames (single requests and batches) and writes responses, to the
 * letter of the specification: {@code "jsonrpc": "2.0"} is required, an id is a string, a
 * number or {@code null} and is echoed with its type, and a request without an {@code id}
 * member is a notification, which gets no response even when it is beyond the server's
 * limits. Bad input is a value, never an exception. Thread-safe.
 */
public final class JsonRpcCodec {

	/**
	 * The notification every connection gets when the server begins to shut down, so that
	 * the client can move to another instance at once.
	 */
	public static final String DRAINING = "{\"jsonrpc\":\"2.0\",\"method\":\"$server.draining\"}";

	private final RpcJson json;

	private final int maxBatchSize;

	/**
	 * Creates a codec.
	 * @param json the mapper
	 * @param maxBatchSize the most requests a batch may hold
	 */
	public JsonRpcCodec(RpcJson json, int maxBatchSize) {
		this.json = json;
		this.maxBatchSize = maxBatchSize;
	}

	/**
	 * Reads one text frame.
	 * @param text the frame's payload
	 * @return a single entry or a batch
	 */
	public Decoded decode(String text) {
		JsonNode root;
		try {
			root = this.json.readTree(text);
		}
		catch (JacksonException ex) {
			return new Decoded.Single(reject(null, ErrorCode.PARSE_ERROR, RpcJson.parseErrorMessage(ex)));
		}
		if (root.isArray()) {
			if (root.isEmpty()) {
				return new Decoded.Single(
						reject(null, ErrorCode.INVALID_REQUEST, "A batch must hold at least one request."));
			}
			if (root.size() > this.maxBatchSize) {
				return new Decoded.Single(reject(null, ErrorCode.INVALID_REQUEST, "A batch may hold at most "
						+ this.maxBatchSize + " requests; this one has " + root.size() + "."));
			}
			List<Decoded.Entry> entries = new ArrayList<>(root.size());
			for (JsonNode element : root) {
				entries.add(decodeRequest(element));
			}
			return new Decoded.Batch(entries);
		}
		return new Decoded.Single(decodeRequest(root));
	}

	/**
	 * The response to a request.
	 * @param id the request's id
	 * @param outcome how its call ended
	 * @return the response
	 */
	public JsonRpcResponse response(JsonNode id, Outcome outcome) {
		if (outcome instanceof Outcome.Success success) {
			return new JsonRpcResponse.Success(success.resultJson(), id);
		}
		return new JsonRpcResponse.Failure(JsonRpcError.from(((Outcome.Failure) outcome).error()), id);
	}

	/**
	 * Writes one response.
	 * @param response the response
	 * @return its text
	 */
	public String encode(JsonRpcResponse response) {
		if (response instanceof JsonRpcResponse.Success success) {
			// the shape Jackson writes for it, without a generator
			return "{\"jsonrpc\":\"2.0\",\"result\":" + success.resultJson() + ",\"id\":"
					+ this.json.write(success.id()) + "}";
		}
		return this.json.write(response);
	}

	/**
	 * Writes the responses to a batch as one array.
	 * @param responses at least one response
	 * @return the array's text
	 */
	public String encode(List<JsonRpcResponse> responses) {
		return this.json.write(responses);
	}

	private Decoded.Entry decodeRequest(JsonNode node) {
		if (!node.isObject()) {
			return reject(null, ErrorCode.INVALID_REQUEST, "A request must be a JSON object.");
		}
		JsonNode id = node.get("id");
		if (id != null && !(id.isString() || id.isNumber() || id.isNull())) {
			return reject(null, ErrorCode.INVALID_REQUEST, "'id' must be a string, a number or null.");
		}
		if (id != null && !id.isNull() && !RpcJson.isShortEnoughId(id)) {
			return reject(null, ErrorCode.INVALID_REQUEST,
					"'id' may be at most " + RpcJson.MAX_ID_LENGTH + " characters long.");
		}
		JsonNode version = node.get("jsonrpc");
		if (version == null || !version.isString() || !JsonRpcResponse.VERSION.equals(version.asString())) {
			return reject(id, ErrorCode.INVALID_REQUEST, "'jsonrpc' must be exactly \"2.0\".");
		}
		JsonNode method = node.get("method");
		if (method == null || !method.isString()) {
			return reject(id, ErrorCode.INVALID_REQUEST, "'method' must be a string naming the method.");
		}
		JsonNode params = node.get("params");
		if (params == null) {
			params = this.json.emptyObject();
		}
		else if (!params.isObject() && !params.isArray()) {
			return reject(id, ErrorCode.INVALID_REQUEST,
					"'params' must be an object (named) or an array (positional), or be left out.");
		}
		else if (params.size() > RpcJson.MAX_PARAMS) {
			if (id == null) {
				return new Decoded.Dropped(ErrorCode.INVALID_REQUEST);
			}
			return reject(id, ErrorCode.INVALID_REQUEST,
					"'params' may hold at most " + RpcJson.MAX_PARAMS + " values; this has " + params.size() + ".");
		}
		return new Decoded.Call(new JsonRpcRequest(id, method.asString(), params));
	}

	private static Decoded.Rejected reject(@Nullable JsonNode id, ErrorCode code, String message) {
		JsonNode echoed = (id != null && !id.isNull()) ? id : null;
		return new Decoded.Rejected(new JsonRpcResponse.Failure(JsonRpcError.from(RpcError.of(code, message)), echoed));
	}

	/**
	 * Writes an event as a notification of method {@code event}:
	 * {@code {"jsonrpc": "2.0", "method": "event", "params": {"topic": TOPIC, "data": DATA,
	 * "offset": N}}}, without {@code offset} for an event that has none.
	 * @param topic the topic, whose characters JSON never escapes
	 * @param dataJson the data, already JSON
	 * @param offset the event's offset in its topic, or 0 for none
	 * @return the frame
	 */
	public static String event(String topic, String dataJson, long offset) {
		StringBuilder frame = new StringBuilder(dataJson.length() + topic.length() + 80);
		frame.append("{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":{\"topic\":\"")
			.append(topic)
			.append("\",\"data\":")
			.append(dataJson);
		if (offset > 0) {
			frame.append(",\"offset\":").append(offset);
		}
		return frame.append("}}").toString();
	}

}
