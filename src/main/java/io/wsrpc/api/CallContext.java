package io.wsrpc.api;

import java.net.URI;
import java.security.Principal;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Who is calling, over which connection, and whether the call is still wanted. A method
 * receives it by declaring a parameter of this type (or of type {@link Principal}); it is
 * never bound from params. Immutable and thread-safe.
 */
public final class CallContext {

	private static final BooleanSupplier NEVER = () -> false;

	private final @Nullable Principal principal;

	private final Set<String> roles;

	private final String connectionId;

	private final @Nullable URI endpoint;

	private final BooleanSupplier cancelled;

	/**
	 * Creates the context of the calls of one connection.
	 * @param principal the authenticated caller, or {@code null} for an anonymous one
	 * @param roles the caller's roles, without any {@code ROLE_} prefix
	 * @param connectionId the id of the connection the call came over
	 */
	public CallContext(@Nullable Principal principal, Set<String> roles, String connectionId) {
		this(principal, roles, connectionId, null, NEVER);
	}

	/**
	 * Creates the context of the calls of one connection opened at a known URL.
	 * @param principal the authenticated caller, or {@code null} for an anonymous one
	 * @param roles the caller's roles, without any {@code ROLE_} prefix
	 * @param connectionId the id of the connection the call came over
	 * @param endpoint the URL the connection was opened at, or {@code null} if unknown
	 */
	public CallContext(@Nullable Principal principal, Set<String> roles, String connectionId, @Nullable URI endpoint) {
		this(principal, roles, connectionId, endpoint, NEVER);
	}

	private CallContext(@Nullable Principal principal, Set<String> roles, String connectionId, @Nullable URI endpoint,
			BooleanSupplier cancelled) {
		this.principal = principal;
		this.roles = Set.copyOf(roles);
		this.connectionId = Objects.requireNonNull(connectionId, "connectionId");
		this.endpoint = endpoint;
		this.cancelled = cancelled;
	}

	/**
	 * The context of a call from nobody in particular, such as a test.
	 * @param connectionId the connection's id
	 * @return an anonymous context
	 */
	public static CallContext anonymous(String connectionId) {
		return new CallContext(null, Set.of(), connectionId);
	}

	/**
	 * The same caller, for one call whose cancellation the given supplier reports.
	 * @param cancelled whether the call was cancelled
	 * @return the context of that call
	 */
	public CallContext forCall(BooleanSupplier cancelled) {
		return new CallContext(this.principal, this.roles, this.connectionId, this.endpoint,
				Objects.requireNonNull(cancelled, "cancelled"));
	}

	/**
	 * The authenticated caller.
	 * @return the principal, or {@code null} for an anonymous caller
	 */
	public @Nullable Principal principal() {
		return this.principal;
	}

	/**
	 * The caller's roles.
	 * @return the roles, without any {@code ROLE_} prefix
	 */
	public Set<String> roles() {
		return this.roles;
	}

	/**
	 * The connection the call came over.
	 * @return the connection's id
	 */
	public String connectionId() {
		return this.connectionId;
	}

	/**
	 * The URL the caller's connection was opened at: {@code ws} or {@code wss}, the host
	 * and port the client asked for, and the endpoint's path, without any query.
	 * @return the URL, or {@code null} if unknown
	 */
	public @Nullable URI endpoint() {
		return this.endpoint;
	}

	/**
	 * Whether the call's result is no longer wanted: its client cancelled it, its
	 * connection closed, or it ran past its deadline. The server has then already
	 * answered the call (if the connection is open) and interrupted the method's thread;
	 * a method that runs long without blocking can check this to stop early.
	 * @return {@code true} once the call ended without the method
	 */
	public boolean isCancelled() {
		return this.cancelled.getAsBoolean();
	}

	/**
	 * Whether the caller is authenticated.
	 * @return {@code true} if there is a principal
	 */
	public boolean isAuthenticated() {
		return this.principal != null;
	}

	/**
	 * Whether the caller has a role.
	 * @param role the role, without a {@code ROLE_} prefix
	 * @return {@code true} if it does
	 */
	public boolean hasRole(String role) {
		return this.roles.contains(role);
	}

	@Override
	public String toString() {
		return "CallContext[principal=" + this.principal + ", roles=" + this.roles + ", connectionId="
				+ this.connectionId + "]";
	}

}
