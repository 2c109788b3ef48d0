package io.wsrpc.api;

import java.security.Principal;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Who is calling and over which connection. A method receives it by declaring a parameter
 * of this type (or of type {@link Principal}); it is never bound from params.
 *
 * @param principal the authenticated caller, or {@code null} for an anonymous one
 * @param roles the caller's roles, without any {@code ROLE_} prefix
 * @param connectionId the id of the connection the call came over
 */
public record CallContext(@Nullable Principal principal, Set<String> roles, String connectionId) {

	public CallContext {
		roles = Set.copyOf(roles);
		Objects.requireNonNull(connectionId, "connectionId");
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

}
