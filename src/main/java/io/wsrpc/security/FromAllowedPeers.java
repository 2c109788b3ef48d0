package io.wsrpc.security;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * Grants a request whose TCP peer, the other end of the socket, is one of the allowed
 * addresses. The peer is read from Jetty's connection, not from
 * {@link HttpServletRequest#getRemoteAddr()}: with
 * {@code server.forward-headers-strategy} on, that is taken from {@code X-Forwarded-For},
 * which any client can send.
 */
final class FromAllowedPeers implements AuthorizationManager<RequestAuthorizationContext> {

	private final List<IpAddressMatcher> allowed;

	/**
	 * @param allowed IPs or CIDR ranges, such as {@code 127.0.0.0/8} or {@code ::1}
	 * @throws IllegalArgumentException if one is neither
	 */
	FromAllowedPeers(List<String> allowed) {
		this.allowed = allowed.stream().map(IpAddressMatcher::new).toList();
	}

	@Override
	public AuthorizationDecision authorize(Supplier<? extends @Nullable Authentication> authentication,
			RequestAuthorizationContext context) {
		String peer = peer(context.getRequest());
		return new AuthorizationDecision(
				peer != null && this.allowed.stream().anyMatch((matcher) -> matcher.matches(peer)));
	}

	private static @Nullable String peer(HttpServletRequest request) {
		ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
		SocketAddress remote = (jetty != null)
				? jetty.getConnectionMetaData().getConnection().getEndPoint().getRemoteSocketAddress() : null;
		return (remote instanceof InetSocketAddress address && address.getAddress() != null)
				? address.getAddress().getHostAddress() : null;
	}

}
