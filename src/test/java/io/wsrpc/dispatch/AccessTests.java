package io.wsrpc.dispatch;

import java.security.Principal;
import java.util.List;
import java.util.Set;

import io.wsrpc.api.CallContext;
import io.wsrpc.api.RpcException;
import io.wsrpc.protocol.ErrorCode;
import io.wsrpc.protocol.Outcome;
import io.wsrpc.protocol.RpcError;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AccessTests {

	private static final Principal ANN = () -> "ann";

	private static final CallContext ANONYMOUS = CallContext.anonymous("c-1");

	private static final CallContext USER = new CallContext(ANN, Set.of("user"), "c-2");

	private static final CallContext ADMIN = new CallContext(ANN, Set.of("user", "admin"), "c-3");

	private static final List<String> ROLES = List.of("ops", "admin");

	@Test
	void methodsAndTopicsGiveTheSameCodeToEachCaller() {
		for (CallContext caller : List.of(ANONYMOUS, USER, ADMIN)) {
			for (List<String> roles : List.of(List.<String>of(), ROLES)) {
				assertThat(topicCode(caller, roles)).as("%s with roles %s", caller, roles)
					.isEqualTo(methodCode(caller, roles));
			}
		}
		assertThat(methodCode(ANONYMOUS, ROLES)).isEqualTo(ErrorCode.UNAUTHORIZED.wireName());
		assertThat(methodCode(USER, ROLES)).isEqualTo(ErrorCode.FORBIDDEN.wireName());
		assertThat(methodCode(ADMIN, ROLES)).isNull();
		assertThat(methodCode(ANONYMOUS, List.of())).isNull();
	}

	@Test
	void aMethodRefusalNamesTheMethodAndItsRolesInOrder() {
		assertThat(Access.checkMethod(ANONYMOUS, "admin.reset", ROLES)).isEqualTo(new Outcome.Failure(RpcError
			.of(ErrorCode.UNAUTHORIZED, "'admin.reset' needs an authenticated caller; connect with an API key.")));
		assertThat(Access.checkMethod(USER, "admin.reset", ROLES)).isEqualTo(new Outcome.Failure(
				RpcError.of(ErrorCode.FORBIDDEN, "'admin.reset' needs one of the roles [admin, ops].")));
	}

	@Test
	void aTopicRefusalNamesTheActionAndCarriesTheServersJsonRpcCode() {
		RpcException anonymous = catchThrowableOfType(RpcException.class,
				() -> Access.checkTopic(ANONYMOUS, ROLES, "publish to 'ops.alerts'"));
		assertThat(anonymous.getMessage()).isEqualTo("Only authenticated callers may publish to 'ops.alerts'.");
		assertThat(anonymous.jsonRpcCode()).isEqualTo(ErrorCode.UNAUTHORIZED.jsonRpcCode());
		RpcException user = catchThrowableOfType(RpcException.class,
				() -> Access.checkTopic(USER, ROLES, "publish to 'ops.alerts'"));
		assertThat(user.getMessage())
			.isEqualTo("Only callers with one of the roles [ops, admin] may publish to 'ops.alerts'.");
		assertThat(user.jsonRpcCode()).isEqualTo(ErrorCode.FORBIDDEN.jsonRpcCode());
		assertThatNoException().isThrownBy(() -> Access.checkTopic(ADMIN, ROLES, "publish to 'ops.alerts'"));
	}

	private static @Nullable String methodCode(CallContext caller, List<String> roles) {
		Outcome.Failure failure = Access.checkMethod(caller, "admin.reset", roles);
		return (failure != null) ? failure.error().code() : null;
	}

	private static @Nullable String topicCode(CallContext caller, List<String> roles) {
		try {
			Access.checkTopic(caller, roles, "subscribe to 'ops.alerts'");
			return null;
		}
		catch (RpcException ex) {
			return ex.code();
		}
	}

}
