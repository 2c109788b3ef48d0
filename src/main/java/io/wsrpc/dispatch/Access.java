package io.wsrpc.dispatch;

import java.util.Collection;

import io.wsrpc.api.CallContext;
import io.wsrpc.api.RpcException;
import io.wsrpc.protocol.ErrorCode;
import io.wsrpc.protocol.Outcome;
import org.jspecify.annotations.Nullable;

/**
 * Who may do what: the one check of a caller's roles, for calls to methods and for
 * actions on topics alike. Where roles are named, an anonymous caller gets
 * {@link ErrorCode#UNAUTHORIZED} and an authenticated caller with none of them
 * {@link ErrorCode#FORBIDDEN}; no roles means anyone may. Stateless and thread-safe.
 */
public final class Access {

	private Access() {
	}

	/**
	 * Checks a call to a method.
	 * @param caller who is calling
	 * @param method the method's name
	 * @param roles the roles that let a caller in, any one of them; empty for anyone
	 * @return {@code null} when the caller may call it, otherwise the reply
	 */
	static Outcome.@Nullable Failure checkMethod(CallContext caller, String method, Collection<String> roles) {
		ErrorCode denied = denial(caller, roles);
		if (denied == null) {
			return null;
		}
		return Outcome.Failure.of(denied,
				(denied == ErrorCode.UNAUTHORIZED)
						? "'" + method + "' needs an authenticated caller; connect with an API key."
						: "'" + method + "' needs one of the roles " + roles.stream().sorted().toList() + ".");
	}

	/**
	 * Checks an action on a topic, from inside the method that performs it.
	 * @param caller who is calling
	 * @param roles the roles that let a caller in, any one of them; empty for anyone
	 * @param action what the caller wants, for the message ("publish to 'chat.lobby'")
	 * @throws RpcException {@code unauthorized} or {@code forbidden} when the caller may
	 * not
	 */
	public static void checkTopic(CallContext caller, Collection<String> roles, String action) {
		ErrorCode denied = denial(caller, roles);
		if (denied != null) {
			throw new RpcException(denied,
					(denied == ErrorCode.UNAUTHORIZED) ? "Only authenticated callers may " + action + "."
							: "Only callers with one of the roles " + roles + " may " + action + ".");
		}
	}

	private static @Nullable ErrorCode denial(CallContext caller, Collection<String> roles) {
		if (roles.isEmpty()) {
			return null;
		}
		if (!caller.isAuthenticated()) {
			return ErrorCode.UNAUTHORIZED;
		}
		for (String role : roles) {
			if (caller.hasRole(role)) {
				return null;
			}
		}
		return ErrorCode.FORBIDDEN;
	}

}
