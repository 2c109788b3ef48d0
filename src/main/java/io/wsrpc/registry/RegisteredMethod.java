package io.wsrpc.registry;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A remote method: its name, where it lives, its parameters and how to invoke it.
 * Immutable.
 *
 * @param name the name clients call it by
 * @param beanName the name of the Spring bean that holds it
 * @param target the bean's own object (behind any proxy), which validation needs
 * @param method the annotated method of the bean's class
 * @param invoker invokes the method on the bean (through its proxy, if any) with an
 * {@code Object[]} of arguments and returns an {@code Object}
 * @param params the parameters, in declaration order
 * @param resultType the declared return type
 * @param roles roles a caller needs, any one of them; empty for anyone
 * @param inline whether it runs on the thread that read the request, without a thread hop
 * (see {@link io.wsrpc.api.RpcMethod#inline()})
 * @param description what the method does, for the OpenRPC document; empty for nothing
 * @param errors the error codes the method answers on purpose (see
 * {@link io.wsrpc.api.RpcMethod#errors()})
 */
public record RegisteredMethod(String name, String beanName, Object target, Method method, MethodHandle invoker,
		List<Param> params, Type resultType, Set<String> roles, boolean inline, String description,
		List<String> errors) {

	public RegisteredMethod {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(beanName, "beanName");
		Objects.requireNonNull(target, "target");
		Objects.requireNonNull(method, "method");
		Objects.requireNonNull(invoker, "invoker");
		params = List.copyOf(params);
		Objects.requireNonNull(resultType, "resultType");
		roles = Set.copyOf(roles);
		Objects.requireNonNull(description, "description");
		errors = List.copyOf(errors);
	}

	/**
	 * Runs the method.
	 * @param args one argument per parameter
	 * @return what the method returned ({@code null} for void)
	 * @throws Throwable whatever the method threw, unwrapped
	 */
	public Object invoke(Object[] args) throws Throwable {
		return (Object) this.invoker.invokeExact(args);
	}

	/**
	 * The Java signature, for messages about this method.
	 * @return for example {@code DemoMethods.addNumbers(BigDecimal, BigDecimal)}
	 */
	public String signature() {
		return describe(this.method);
	}

	static String describe(Method method) {
		StringBuilder text = new StringBuilder(method.getDeclaringClass().getSimpleName()).append('.')
			.append(method.getName())
			.append('(');
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			text.append((i > 0) ? ", " : "").append(types[i].getSimpleName());
		}
		return text.append(')').toString();
	}

}
