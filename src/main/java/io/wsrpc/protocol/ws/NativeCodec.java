package io.wsrpc.protocol.ws;

import io.wsrpc.protocol.ErrorCode;
import io.wsrpc.protocol.Outcome;
import io.wsrpc.protocol.RpcError;
import io.wsrpc.protocol.RpcJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads text frames of the native protocol into requests and writes replies. Bad input is
 * a value ({@link Decoded.Rejected}), never an exception. Thread-safe.
 */
public final class NativeCodec {

	/**
	 * The notice every connection gets when the server begins to shut down, so that the
	 * client can move to another instance at once.
	 */
	public static final String DRAINING = "{\"event\":\"$server.draining\"}";

	/**
	 * The longest request id: in Unicode code points for a string, in characters as
	 * written for an integer.
	 */
	public static final int MAX_REQUEST_ID_LENGTH = RpcJson.MAX_ID_LENGTH;

	private final RpcJson json;

	public NativeCodec(RpcJson json) {
		this.json = json;
	}

	/**
	 * Reads one text frame.
	 * @param text the frame's payload
	 * @return the call, or the error reply to send at once
	 */
	public Decoded decode(String text) {
		JsonNode root;
		try {
			root = this.json.readTree(text);
		}
		catch (JacksonException ex) {
			return reject(null, ErrorCode.PARSE_ERROR, RpcJson.parseErrorMessage(ex));
		}
		if (!root.isObject()) {
			return reject(null, ErrorCode.INVALID_REQUEST, "A request must be a JSON object.");
		}
		JsonNode requestId = root.get("request_id");
		if (requestId == null) {
			return reject(null, ErrorCode.INVALID_REQUEST, "The request has no 'request_id'.");
		}
		if (!isValidRequestId(requestId)) {
			return reject(null, ErrorCode.INVALID_REQUEST,
					"'request_id' must be a non-empty string of at most 128 characters or an integer of at most 128 characters.");
		}
		JsonNode action = root.get("action");
		if (action == null || !action.isString()) {
			return reject(requestId, ErrorCode.INVALID_REQUEST, "'action' must be a string naming the method.");
		}
		JsonNode params = root.get("params");
		if (params == null) {
			params = this.json.emptyObject();
		}
		else if (!params.isObject() && !params.isArray()) {
			return reject(requestId, ErrorCode.INVALID_REQUEST,
					"'params' must be an object (named) or an array (positional), or be left out.");
		}
		else if (params.size() > RpcJson.MAX_PARAMS) {
			return reject(requestId, ErrorCode.INVALID_REQUEST,
					"'params' may hold at most " + RpcJson.MAX_PARAMS + " values; this has " + params.size() + ".");
		}
		return new Decoded.Call(new RpcRequest(requestId, action.asString(), params));
	}

	/**
	 * Writes the reply to a request.
	 * @param requestId the request's id
	 * @param outcome how its call ended
	 * @return the reply's text
	 */
	public String encode(JsonNode requestId, Outcome outcome) {
		if (outcome instanceof Outcome.Success success) {
			// the shape RpcResponse.Success has, without a generator
			return "{\"request_id\":" + this.json.write(requestId) + ",\"status\":\"ok\",\"result\":"
					+ success.resultJson() + "}";
		}
		return encode(new RpcResponse.Failure(requestId, ((Outcome.Failure) outcome).error()));
	}

	/**
	 * Writes a reply.
	 * @param response the reply
	 * @return its text
	 */
	public String encode(RpcResponse response) {
		return this.json.write(response);
	}

	private static boolean isValidRequestId(JsonNode id) {
		if (id.isIntegralNumber() || id.isString()) {
			return !id.asString().isEmpty() && RpcJson.isShortEnoughId(id);
		}
		return false;
	}

	private static Decoded reject(@Nullable JsonNode requestId, ErrorCode code, String message) {
		return new Decoded.Rejected(new RpcResponse.Failure(requestId, RpcError.of(code, message)));
	}

	/**
	 * Writes an event frame: {@code {"event": TOPIC, "data": DATA, "offset": N}}, without
	 * {@code offset} for an event that has none.
	 * @param topic the topic, whose characters JSON never escapes
	 * @param dataJson the data, already JSON
	 * @param offset the event's offset in its topic, or 0 for none
	 * @return the frame
	 */
	public static String event(String topic, String dataJson, long offset) {
		StringBuilder frame = new StringBuilder(dataJson.length() + topic.length() + 48);
		frame.append("{\"event\":\"").append(topic).append("\",\"data\":").append(dataJson);
		if (offset > 0) {
			frame.append(",\"offset\":").append(offset);
		}
		return frame.append('}').toString();
	}

}
