package io.wsrpc.registry;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.wsrpc.api.CallContext;
import io.wsrpc.api.RpcMethod;
import io.wsrpc.protocol.RpcJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.Assert;
import org.springframework.util.ReflectionUtils;

/**
 * Every remote method by name, built once at startup and immutable afterwards.
 * Thread-safe.
 */
public final class MethodRegistry {

	private final Map<String, RegisteredMethod> methods;

	private final Discovery discovery;

	MethodRegistry(Collection<RegisteredMethod> methods, Discovery discovery) {
		this.discovery = discovery;
		Map<String, RegisteredMethod> byName = new LinkedHashMap<>();
		for (RegisteredMethod method : methods) {
			RegisteredMethod existing = byName.putIfAbsent(method.name(), method);
			if (existing != null) {
				throw new IllegalStateException("Two methods answer to '" + method.name() + "': " + existing.signature()
						+ " in bean '" + existing.beanName() + "' and " + method.signature() + " in bean '"
						+ method.beanName() + "'");
			}
		}
		this.methods = Map.copyOf(byName);
	}

	/**
	 * Scans a context for {@code @RpcMethod} methods and adds {@code rpc.discover} and
	 * {@code rpc.cancel}, with no endpoints for the document's servers.
	 * @param beans the beans to scan
	 * @param json the mapper params bind with
	 * @param title the server's name in the OpenRPC document
	 * @param version the server's version in the OpenRPC document
	 * @return the registry
	 * @throws IllegalStateException naming the methods, if two share a name or one cannot
	 * be called
	 */
	public static MethodRegistry scan(ListableBeanFactory beans, RpcJson json, String title, String version) {
		return scan(beans, json, title, version, List.of());
	}

	/**
	 * Scans a context for {@code @RpcMethod} methods and adds {@code rpc.discover} and
	 * {@code rpc.cancel}.
	 * @param beans the beans to scan
	 * @param json the mapper params bind with
	 * @param title the server's name in the OpenRPC document
	 * @param version the server's version in the OpenRPC document
	 * @param endpoints the endpoints the methods are served on, for the document's
	 * servers
	 * @return the registry
	 * @throws IllegalStateException naming the methods, if two share a name or one cannot
	 * be called
	 */
	public static MethodRegistry scan(ListableBeanFactory beans, RpcJson json, String title, String version,
			List<Discovery.Endpoint> endpoints) {
		RpcMethodScanner scanner = new RpcMethodScanner(json);
		List<RegisteredMethod> methods = new ArrayList<>(scanner.scan(beans));
		methods.add(builtIn(scanner, "rpcCancellation", new Cancellation(), Cancellation.class,
				ReflectionUtils.findMethod(Cancellation.class, "cancel", JsonNode.class)));
		methods.sort(Comparator.comparing(RegisteredMethod::name));
		Discovery discovery = new Discovery(OpenRpcDocument.build(json, title, version, methods), endpoints);
		methods.add(builtIn(scanner, "rpcDiscovery", discovery, Discovery.class,
				ReflectionUtils.findMethod(Discovery.class, "discover", CallContext.class)));
		return new MethodRegistry(methods, discovery);
	}

	private static RegisteredMethod builtIn(RpcMethodScanner scanner, String beanName, Object bean, Class<?> type,
			@Nullable Method method) {
		Assert.state(method != null, () -> "The built-in method of " + type.getSimpleName() + " is missing");
		RpcMethod annotation = method.getAnnotation(RpcMethod.class);
		Assert.state(annotation != null, () -> RegisteredMethod.describe(method) + " lacks @RpcMethod");
		return scanner.register(annotation.value(), beanName, bean, type, method, annotation);
	}

	/**
	 * The built-in {@code rpc.discover} method, which also gives its document to HTTP.
	 * @return the discovery method
	 */
	public Discovery discovery() {
		return this.discovery;
	}

	/**
	 * Finds a method by the name clients call it by.
	 * @param name the name
	 * @return the method, or empty
	 */
	public Optional<RegisteredMethod> find(String name) {
		return Optional.ofNullable(this.methods.get(name));
	}

	/**
	 * All methods, sorted by name.
	 * @return the methods
	 */
	public Collection<RegisteredMethod> methods() {
		return this.methods.values().stream().sorted(Comparator.comparing(RegisteredMethod::name)).toList();
	}

}
