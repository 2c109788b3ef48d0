package io.wsrpc.registry;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.wsrpc.protocol.RpcJson;
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

	MethodRegistry(Collection<RegisteredMethod> methods) {
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
	 * {@code rpc.cancel}.
	 * @param beans the beans to scan
	 * @param json the mapper params bind with
	 * @param title the server's name in the OpenRPC document
	 * @param version the server's version in the OpenRPC document
	 * @return the registry
	 * @throws IllegalStateException naming the methods, if two share a name or one cannot
	 * be called
	 */
	public static MethodRegistry scan(ListableBeanFactory beans, RpcJson json, String title, String version) {
		RpcMethodScanner scanner = new RpcMethodScanner(json);
		List<RegisteredMethod> methods = new ArrayList<>(scanner.scan(beans));
		Method cancel = ReflectionUtils.findMethod(Cancellation.class, "cancel", JsonNode.class);
		Assert.state(cancel != null, "Cancellation.cancel(JsonNode) is missing");
		methods.add(scanner.register(Cancellation.METHOD_NAME, "rpcCancellation", new Cancellation(),
				Cancellation.class, cancel, Set.of(), false));
		methods.sort(Comparator.comparing(RegisteredMethod::name));
		Discovery discovery = new Discovery(OpenRpcDocument.build(json, title, version, methods));
		Method discover = ReflectionUtils.findMethod(Discovery.class, "discover");
		Assert.state(discover != null, "Discovery.discover() is missing");
		methods.add(scanner.register(Discovery.METHOD_NAME, "rpcDiscovery", discovery, Discovery.class, discover,
				Set.of(), false));
		return new MethodRegistry(methods);
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
