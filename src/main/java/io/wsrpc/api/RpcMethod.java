package io.wsrpc.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Publishes a public method of a Spring bean as a remote method. Parameters bind by name
 * (from a params object) or by position (from a params array); the return value, or the
 * value a returned {@code CompletionStage} completes with, is the result.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RpcMethod {

	/**
	 * The name clients call the method by; empty means the Java method name.
	 * @return the remote name
	 */
	String value() default "";

	/**
	 * Roles a caller needs, any one of them; empty for a method anyone may call. An
	 * anonymous caller gets {@code unauthorized}, a caller without the roles
	 * {@code forbidden}.
	 * @return the roles
	 */
	String[] roles() default {};

	/**
	 * Whether the method runs on the thread that read the request rather than on the
	 * executor, which saves a thread hop per call. Only for methods that return within
	 * microseconds and never block (no I/O, no waiting for locks, no sleeping): while one
	 * runs, its connection's next message waits, and it has no deadline. A
	 * {@code CompletionStage} it returns still gets the call timeout.
	 * @return whether the method runs inline
	 */
	boolean inline() default false;

	/**
	 * What the method does, for people and tools: the method's {@code description} in the
	 * OpenRPC document of {@code rpc.discover} and {@code GET /openrpc.json}.
	 * @return a sentence or two; empty for none
	 */
	String description() default "";

	/**
	 * Error codes the method answers on purpose, beside those the server gives calls
	 * itself (such as {@code invalid_params} and {@code timeout}): the {@code code} of
	 * each {@link RpcException} it throws, listed under the method's {@code errors} in
	 * the OpenRPC document. A server code such as {@code forbidden} keeps its JSON-RPC
	 * code; any other is listed with {@value RpcException#DEFAULT_JSON_RPC_CODE}.
	 * @return the codes, as written on {@code /ws}
	 */
	String[] errors() default {};

}
