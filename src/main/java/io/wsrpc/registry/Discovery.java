package io.wsrpc.registry;

import java.net.URI;
import java.util.List;
import java.util.Objects;

import io.wsrpc.api.CallContext;
import io.wsrpc.api.RpcMethod;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The built-in {@code rpc.discover} method, registered by the registry itself on both
 * endpoints, and the OpenRPC document it returns. The document's {@code servers} name
 * each endpoint at the host and port the caller used: the {@code Host} of the
 * connection's handshake for {@code rpc.discover}, that of the request for
 * {@code GET /openrpc.json}. Thread-safe.
 */
public final class Discovery {

	/** The name {@link #discover} answers to, as OpenRPC defines it. */
	public static final String METHOD_NAME = "rpc.discover";

	private final ObjectNode document;

	private final List<Endpoint> endpoints;

	Discovery(ObjectNode document, List<Endpoint> endpoints) {
		this.document = Objects.requireNonNull(document, "document");
		this.endpoints = List.copyOf(endpoints);
	}

	/**
	 * Describes every method of the server.
	 * @param context the caller, whose connection's URL gives the servers' host
	 * @return the OpenRPC document
	 */
	@RpcMethod(value = METHOD_NAME, description = "Describes every method of the server, "
			+ "with its params, result and errors, as an OpenRPC 1.3 document.")
	public JsonNode discover(CallContext context) {
		URI endpoint = context.endpoint();
		return (endpoint != null) ? document(base(endpoint)) : this.document;
	}

	/**
	 * The OpenRPC document with a server for each endpoint at the given base URL.
	 * @param base the server's WebSocket root, such as {@code ws://example.com:8080}
	 * (with the servlet context path, if any)
	 * @return a new document
	 */
	public ObjectNode document(URI base) {
		ObjectNode document = this.document.deepCopy();
		ObjectNode withServers = document.objectNode();
		// servers right after info, where readers look for them
		document.properties().forEach((entry) -> {
			withServers.set(entry.getKey(), entry.getValue());
			if (entry.getKey().equals("info")) {
				ArrayNode servers = withServers.putArray("servers");
				String root = base.toString().replaceAll("/+$", "");
				for (Endpoint endpoint : this.endpoints) {
					servers.addObject()
						.put("name", endpoint.name())
						.put("url", root + endpoint.path())
						.put("summary", endpoint.summary());
				}
			}
		});
		return withServers;
	}

	private URI base(URI endpoint) {
		String path = (endpoint.getRawPath() != null) ? endpoint.getRawPath() : "";
		for (Endpoint candidate : this.endpoints) {
			if (path.endsWith(candidate.path())) {
				path = path.substring(0, path.length() - candidate.path().length());
				break;
			}
		}
		return URI.create(endpoint.getScheme() + "://" + endpoint.getRawAuthority() + path);
	}

	/**
	 * An endpoint the methods are served on, listed in the document's {@code servers}.
	 *
	 * @param name the server's name, such as {@code jsonrpc}
	 * @param path the endpoint's path, such as {@code /jsonrpc}
	 * @param summary what a client speaks there
	 */
	public record Endpoint(String name, String path, String summary) {

		public Endpoint {
			Objects.requireNonNull(name, "name");
			Objects.requireNonNull(path, "path");
			Objects.requireNonNull(summary, "summary");
		}

	}

}
