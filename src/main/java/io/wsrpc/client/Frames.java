package io.wsrpc.client;

import io.wsrpc.protocol.Dialect;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes requests and reads replies of either dialect, on the client side. Numbers are
 * read exactly. Thread-safe.
 */
public final class Frames {

	private static final String DRAINING = "$server.draining";

	private final JsonMapper mapper = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	private final Dialect dialect;

	public Frames(Dialect dialect) {
		this.dialect = dialect;
	}

	/**
	 * The mapper used for params and results.
	 * @return the mapper
	 */
	public JsonMapper mapper() {
		return this.mapper;
	}

	/**
	 * Writes a request.
	 * @param id the request id
	 * @param method the method's name
	 * @param params an object or array node, or {@code null} for none
	 * @return the frame's text
	 */
	public String request(long id, String method, @Nullable JsonNode params) {
		ObjectNode request = this.mapper.createObjectNode();
		if (this.dialect == Dialect.JSON_RPC) {
			request.put("jsonrpc", "2.0").put("method", method);
			if (params != null) {
				request.set("params", params);
			}
			request.put("id", id);
		}
		else {
			request.put("request_id", id).put("action", method);
			if (params != null) {
				request.set("params", params);
			}
		}
		return this.mapper.writeValueAsString(request);
	}

	/**
	 * Writes the cancel of a call: a call to {@code rpc.cancel} on {@code /ws}, whose
	 * reply nobody waits for, and the notification {@code $/cancelRequest} on
	 * {@code /jsonrpc}.
	 * @param id the request id of the cancel itself, used on {@code /ws} only
	 * @param cancelled the request id of the call to cancel
	 * @return the frame's text
	 */
	public String cancel(long id, long cancelled) {
		if (this.dialect == Dialect.JSON_RPC) {
			ObjectNode notification = this.mapper.createObjectNode()
				.put("jsonrpc", "2.0")
				.put("method", "$/cancelRequest");
			notification.putObject("params").put("id", cancelled);
			return this.mapper.writeValueAsString(notification);
		}
		return request(id, "rpc.cancel", this.mapper.createObjectNode().put("request_id", cancelled));
	}

	/**
	 * Reads a reply.
	 * @param text a frame from the server
	 * @return the reply, or {@code null} if the frame is not a reply of this dialect
	 */
	public @Nullable Reply reply(String text) {
		JsonNode message = read(text);
		return (message != null) ? reply(message) : null;
	}

	/**
	 * Reads a frame's text as JSON.
	 * @param text a frame from the server
	 * @return the JSON, or {@code null} if the text is not JSON
	 */
	public @Nullable JsonNode read(String text) {
		try {
			return this.mapper.readTree(text);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * Reads a reply.
	 * @param message a frame from the server, read as JSON
	 * @return the reply, or {@code null} if the frame is not a reply of this dialect
	 */
	public @Nullable Reply reply(JsonNode message) {
		if (!message.isObject()) {
			return null;
		}
		return (this.dialect == Dialect.JSON_RPC) ? jsonRpcReply(message) : nativeReply(message);
	}

	/**
	 * Reads a pushed event.
	 * @param text a frame from the server
	 * @return the event, or {@code null} if the frame is not an event of this dialect
	 */
	public @Nullable Event event(String text) {
		JsonNode message = read(text);
		return (message != null) ? event(message) : null;
	}

	/**
	 * Reads a pushed event.
	 * @param message a frame from the server, read as JSON
	 * @return the event, or {@code null} if the frame is not an event of this dialect
	 */
	public @Nullable Event event(JsonNode message) {
		if (isDrainingNotice(message)) {
			return null;
		}
		if (this.dialect == Dialect.JSON_RPC) {
			JsonNode params = message.path("params");
			if ("event".equals(message.path("method").asString("")) && !message.has("id")
					&& params.path("topic").isString()) {
				return new Event(params.get("topic").asString(), params.path("data"), params.path("offset").asLong(0));
			}
			return null;
		}
		JsonNode topic = message.get("event");
		return (topic != null && topic.isString())
				? new Event(topic.asString(), message.path("data"), message.path("offset").asLong(0)) : null;
	}

	/**
	 * Whether a frame is the notice a server sends to every connection when it begins to
	 * shut down: {@code {"event": "$server.draining"}} on {@code /ws}, the notification
	 * {@code $server.draining} on {@code /jsonrpc}.
	 * @param message a frame from the server, read as JSON
	 * @return {@code true} for the notice
	 */
	public boolean isDrainingNotice(JsonNode message) {
		if (this.dialect == Dialect.JSON_RPC) {
			return DRAINING.equals(message.path("method").asString("")) && !message.has("id");
		}
		return DRAINING.equals(message.path("event").asString(""));
	}

	/**
	 * An event the server pushed.
	 *
	 * @param topic the topic it was published to
	 * @param data its data
	 * @param offset its offset in the topic, or 0 if it has none
	 */
	public record Event(String topic, JsonNode data, long offset) {
	}

	private static @Nullable Reply nativeReply(JsonNode message) {
		JsonNode id = message.get("request_id");
		JsonNode status = message.get("status");
		if (id == null || status == null) {
			return null;
		}
		if ("ok".equals(status.asString(""))) {
			JsonNode result = message.get("result");
			return new Reply(message, id, (result != null) ? result : NullNode.getInstance(), null);
		}
		JsonNode error = message.path("error");
		return new Reply(message, id, null, new RemoteError(error.path("code").asString("unknown"),
				error.path("message").asString(""), error.get("details"), null));
	}

	private static @Nullable Reply jsonRpcReply(JsonNode message) {
		JsonNode id = message.get("id");
		if (id == null) {
			return null;
		}
		JsonNode error = message.get("error");
		if (error == null) {
			JsonNode result = message.get("result");
			return new Reply(message, id, (result != null) ? result : NullNode.getInstance(), null);
		}
		JsonNode numeric = error.path("code");
		JsonNode data = error.path("data");
		String code = data.path("code").isString() ? data.path("code").asString() : numeric.asString("unknown");
		return new Reply(message, id, null, new RemoteError(code, error.path("message").asString(""),
				data.get("details"), numeric.isInt() ? numeric.asInt() : null));
	}

}
