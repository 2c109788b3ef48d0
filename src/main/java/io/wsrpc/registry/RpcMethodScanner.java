package io.wsrpc.registry;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.wsrpc.api.CallContext;
import io.wsrpc.api.RpcMethod;
import io.wsrpc.protocol.RpcJson;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;

/**
 * Finds every {@link RpcMethod} on the beans of a context and checks that each can be
 * called: public, named uniquely, with parameters that have names and bind from JSON. Any
 * problem stops startup with a message naming the method.
 */
final class RpcMethodScanner {

	/** Names with this prefix belong to the server, as JSON-RPC 2.0 reserves them. */
	static final String RESERVED_PREFIX = "rpc.";

	private final RpcJson json;

	RpcMethodScanner(RpcJson json) {
		this.json = json;
	}

	/**
	 * Whether a bean is one of Spring's own, which never has RPC methods: skipping the
	 * hundreds of them saves reading their methods at startup (Spring's
	 * {@code @EventListener} scan skips them the same way).
	 */
	private static boolean isSpringContainerClass(Class<?> type) {
		return type.getName().startsWith("org.springframework.")
				&& !AnnotatedElementUtils.isAnnotated(type, Component.class);
	}

	List<RegisteredMethod> scan(ListableBeanFactory beans) {
		List<RegisteredMethod> found = new ArrayList<>();
		for (String beanName : beans.getBeanDefinitionNames()) {
			if (beanName.startsWith("scopedTarget.")) {
				continue;
			}
			Class<?> beanType = beans.getType(beanName, false);
			if (beanType == null) {
				continue;
			}
			Class<?> userType = ClassUtils.getUserClass(beanType);
			if (!AnnotationUtils.isCandidateClass(userType, RpcMethod.class) || isSpringContainerClass(userType)) {
				continue;
			}
			Map<Method, RpcMethod> annotated = MethodIntrospector.selectMethods(userType,
					(MethodIntrospector.MetadataLookup<RpcMethod>) (method) -> AnnotatedElementUtils
						.findMergedAnnotation(method, RpcMethod.class));
			if (annotated.isEmpty()) {
				continue;
			}
			Object bean = beans.getBean(beanName);
			annotated.forEach((method, annotation) -> {
				String name = annotation.value().isEmpty() ? method.getName() : annotation.value();
				if (name.startsWith(RESERVED_PREFIX)) {
					throw new IllegalStateException(problem(method, beanName,
							"its name '" + name + "' starts with '" + RESERVED_PREFIX + "', which is reserved"));
				}
				found.add(register(name, beanName, bean, userType, method, annotation));
			});
		}
		return found;
	}

	/**
	 * Registers one method, checking that it can be called.
	 * @param name the name clients call it by
	 * @param beanName the bean's name
	 * @param bean the bean (possibly a proxy)
	 * @param userType the bean's own class
	 * @param method the method of {@code userType}
	 * @param annotation its roles, whether it runs inline, its description and errors
	 * @return the registered method
	 */
	RegisteredMethod register(String name, String beanName, Object bean, Class<?> userType, Method method,
			RpcMethod annotation) {
		if (!Modifier.isPublic(method.getModifiers()) || Modifier.isStatic(method.getModifiers())) {
			throw new IllegalStateException(problem(method, beanName, "it must be a public instance method"));
		}
		Parameter[] parameters = method.getParameters();
		List<Param> params = new ArrayList<>(parameters.length);
		for (int i = 0; i < parameters.length; i++) {
			params.add(param(beanName, userType, method, parameters[i], i));
		}
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		ReflectionUtils.makeAccessible(invocable);
		MethodHandle invoker;
		try {
			invoker = MethodHandles.lookup()
				.unreflect(invocable)
				.bindTo(bean)
				.asSpreader(Object[].class, parameters.length)
				.asType(MethodType.methodType(Object.class, Object[].class));
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(problem(method, beanName, "it cannot be accessed"), ex);
		}
		Object target = AopProxyUtils.getSingletonTarget(bean);
		Type resultType = ResolvedTypes.resolve(ResolvableType.forMethodReturnType(method, userType));
		return new RegisteredMethod(name, beanName, (target != null) ? target : bean, method, invoker, params,
				(resultType != null) ? resultType : Object.class, Set.of(annotation.roles()), annotation.inline(),
				annotation.description(), List.of(annotation.errors()));
	}

	private Param param(String beanName, Class<?> userType, Method method, Parameter parameter, int index) {
		if (!parameter.isNamePresent()) {
			throw new IllegalStateException(problem(method, beanName,
					"its parameter names are not in the class file; compile with -parameters"));
		}
		ResolvableType declared = ResolvableType.forMethodParameter(method, index, userType);
		Type type = ResolvedTypes.resolve(declared);
		Type valueType = (type != null && declared.toClass() == Optional.class)
				? ResolvedTypes.resolve(declared.getGeneric(0)) : type;
		if (type == null || valueType == null) {
			throw new IllegalStateException(problem(method, beanName, "parameter '" + parameter.getName()
					+ "' has a type that cannot be bound: " + declared.getType().getTypeName()));
		}
		boolean optional = declared.toClass() == Optional.class;
		JavaType javaType = this.json.type(valueType);
		boolean bindable = javaType.isPrimitive() || !javaType.isAbstract() || javaType.isContainerType()
				|| javaType.getRawClass() == Object.class || JsonNode.class.isAssignableFrom(javaType.getRawClass());
		if (!bindable && type != Principal.class) {
			throw new IllegalStateException(problem(method, beanName, "parameter '" + parameter.getName()
					+ "' has an abstract type that cannot be bound from JSON: " + type.getTypeName()));
		}
		Param.Source source = (type == CallContext.class) ? Param.Source.CONTEXT
				: (type == Principal.class) ? Param.Source.PRINCIPAL : Param.Source.PARAMS;
		return new Param(parameter.getName(), type, javaType, this.json.readerFor(javaType), optional,
				isNullable(parameter), source);
	}

	private static boolean isNullable(Parameter parameter) {
		for (var annotation : parameter.getAnnotatedType().getAnnotations()) {
			if (annotation.annotationType().getSimpleName().equals("Nullable")) {
				return true;
			}
		}
		for (var annotation : parameter.getAnnotations()) {
			if (annotation.annotationType().getSimpleName().equals("Nullable")) {
				return true;
			}
		}
		return false;
	}

	private static String problem(Method method, String beanName, String why) {
		return "Cannot publish " + RegisteredMethod.describe(method) + " of bean '" + beanName + "': " + why;
	}

}
