package io.wsrpc.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import io.wsrpc.api.RpcMethod;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns calls on a proxy interface into remote calls.
 */
final class ProxyInvocation implements InvocationHandler {

	private final RpcClient client;

	private final Class<?> type;

	private final JsonMapper mapper;

	ProxyInvocation(RpcClient client, Class<?> type, JsonMapper mapper) {
		this.client = client;
		this.type = type;
		this.mapper = mapper;
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args) throws Throwable {
		if (method.getDeclaringClass() == Object.class) {
			return switch (method.getName()) {
				case "equals" -> args != null && proxy == args[0];
				case "hashCode" -> System.identityHashCode(proxy);
				default -> "RpcClient proxy for " + this.type.getName();
			};
		}
		if (method.isDefault()) {
			return InvocationHandler.invokeDefault(proxy, method, args);
		}
		RpcMethod annotation = method.getAnnotation(RpcMethod.class);
		String name = (annotation != null && !annotation.value().isEmpty()) ? annotation.value() : method.getName();
		Object params = params(method, (args != null) ? args : new Object[0]);
		Class<?> returnType = method.getReturnType();
		if (CompletionStage.class.isAssignableFrom(returnType)) {
			Type resultType = (method.getGenericReturnType() instanceof ParameterizedType parameterized)
					? parameterized.getActualTypeArguments()[0] : Object.class;
			return this.client.call(name, params, resultType);
		}
		Type resultType = (returnType == void.class) ? Void.class : method.getGenericReturnType();
		CompletableFuture<Object> result = this.client.call(name, params, resultType);
		try {
			return result.join();
		}
		catch (CompletionException ex) {
			throw (ex.getCause() != null) ? ex.getCause() : ex;
		}
	}

	private @Nullable Object params(Method method, @Nullable Object[] args) {
		if (args.length == 0) {
			return null;
		}
		Parameter[] parameters = method.getParameters();
		if (parameters[0].isNamePresent()) {
			ObjectNode named = this.mapper.createObjectNode();
			for (int i = 0; i < args.length; i++) {
				named.set(parameters[i].getName(), this.mapper.valueToTree(args[i]));
			}
			return named;
		}
		ArrayNode positional = this.mapper.createArrayNode();
		for (Object arg : args) {
			positional.add(this.mapper.valueToTree(arg));
		}
		return positional;
	}

}
