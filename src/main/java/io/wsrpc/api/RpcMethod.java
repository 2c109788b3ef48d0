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

}
