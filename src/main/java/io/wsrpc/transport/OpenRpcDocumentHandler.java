package io.wsrpc.transport;

import java.net.URI;

import io.wsrpc.protocol.RpcJson;
import io.wsrpc.registry.Discovery;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Answers {@code GET} {@value WebSocketEndpoints#OPENRPC_PATH} with the OpenRPC document
 * that {@code rpc.discover} returns, its servers at the scheme, host and port of the
 * request ({@code ws} for {@code http}, {@code wss} for {@code https}). The document is
 * public data, so any origin may read it ({@code Access-Control-Allow-Origin: *}): tools
 * such as the OpenRPC playground fetch it from a page of their own. Thread-safe.
 */
final class OpenRpcDocumentHandler implements HandlerFunction<ServerResponse> {

	private final Discovery discovery;

	private final RpcJson json;

	OpenRpcDocumentHandler(Discovery discovery, RpcJson json) {
		this.discovery = discovery;
		this.json = json;
	}

	@Override
	public ServerResponse handle(ServerRequest request) {
		ServletUriComponentsBuilder root = ServletUriComponentsBuilder.fromContextPath(request.servletRequest());
		boolean secure = "https".equalsIgnoreCase(root.build().getScheme());
		URI base = root.scheme(secure ? "wss" : "ws").build().toUri();
		return ServerResponse.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
			.body(this.json.write(this.discovery.document(base)));
	}

}
