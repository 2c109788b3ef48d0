package io.wsrpc.dispatch;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.wsrpc.protocol.FieldError;
import io.wsrpc.registry.MethodRegistry;
import io.wsrpc.registry.RegisteredMethod;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import jakarta.validation.executable.ExecutableValidator;

/**
 * Runs Bean Validation on bound arguments before a method runs. Which methods carry
 * constraints is worked out once, so unconstrained methods pay nothing. Thread-safe.
 */
final class ParamValidator {

	private final ExecutableValidator validator;

	private final Set<Method> constrained;

	ParamValidator(Validator validator, MethodRegistry registry) {
		this.validator = validator.forExecutables();
		this.constrained = registry.methods()
			.stream()
			.filter((method) -> hasConstraints(validator, method))
			.map(RegisteredMethod::method)
			.collect(Collectors.toUnmodifiableSet());
	}

	/**
	 * Validates arguments.
	 * @param method the method about to run
	 * @param args its bound arguments
	 * @throws InvalidParamsException naming every violation
	 */
	void validate(RegisteredMethod method, Object[] args) {
		if (!this.constrained.contains(method.method())) {
			return;
		}
		Set<ConstraintViolation<Object>> violations = this.validator.validateParameters(method.target(),
				method.method(), args);
		if (violations.isEmpty()) {
			return;
		}
		List<FieldError> errors = new ArrayList<>(violations.size());
		for (ConstraintViolation<Object> violation : violations) {
			errors.add(new FieldError(field(violation.getPropertyPath()), violation.getMessage()));
		}
		errors.sort(java.util.Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
		throw new InvalidParamsException(errors);
	}

	private static String field(Path path) {
		StringBuilder field = new StringBuilder();
		for (Path.Node node : path) {
			if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CROSS_PARAMETER) {
				continue;
			}
			if (node.getIndex() != null) {
				field.append('[').append(node.getIndex()).append(']');
			}
			else if (node.getKey() != null && node.getKind() != ElementKind.PARAMETER) {
				field.append('[').append(node.getKey()).append(']');
			}
			if (node.getName() != null && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
				field.append((field.length() > 0) ? "." : "").append(node.getName());
			}
		}
		return (field.length() > 0) ? field.toString() : "params";
	}

	private static boolean hasConstraints(Validator validator, RegisteredMethod method) {
		Method javaMethod = method.method();
		var descriptor = validator.getConstraintsForClass(method.target().getClass())
			.getConstraintsForMethod(javaMethod.getName(), javaMethod.getParameterTypes());
		return descriptor != null && descriptor.hasConstrainedParameters();
	}

}
