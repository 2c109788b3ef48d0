package io.wsrpc.dispatch;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.wsrpc.api.CallContext;
import io.wsrpc.protocol.FieldError;
import io.wsrpc.protocol.RpcJson;
import io.wsrpc.registry.Param;
import io.wsrpc.registry.RegisteredMethod;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Binds params to a method's arguments, strictly: named params by parameter name,
 * positional params by position; a missing required param, an unknown name, an extra
 * position or a value of the wrong JSON type is an error. Collects every problem before
 * failing, so one reply names them all. Thread-safe.
 */
final class ParamBinder {

	private final RpcJson json;

	ParamBinder(RpcJson json) {
		this.json = json;
	}

	private static final Set<Class<?>> INTEGERS = Set.of(int.class, long.class, short.class, byte.class, Integer.class,
			Long.class, Short.class, Byte.class, BigInteger.class);

	private static final Set<Class<?>> NUMBERS = Set.of(float.class, double.class, Float.class, Double.class,
			BigDecimal.class, Number.class);

	/**
	 * Binds params.
	 * @param method the method to call
	 * @param params an object or an array
	 * @return one argument per parameter
	 * @throws InvalidParamsException naming every param that does not bind
	 */
	Object[] bind(RegisteredMethod method, JsonNode params, CallContext context) {
		List<Param> declared = method.params();
		Object[] args = new Object[declared.size()];
		List<FieldError> errors = new ArrayList<>(0);
		if (params.isArray()) {
			int position = 0;
			for (int i = 0; i < declared.size(); i++) {
				Param param = declared.get(i);
				args[i] = param.fromParams() ? bindOne(param, params.get(position++), errors) : inject(param, context);
			}
			if (params.size() > position) {
				errors.add(new FieldError("params", "has " + count(params.size()) + " but the method takes "
						+ ((position == 0) ? "none" : "at most " + position)));
			}
		}
		else {
			if (params.size() > 0) {
				rejectUnknownNames(declared, params, errors);
			}
			for (int i = 0; i < declared.size(); i++) {
				Param param = declared.get(i);
				args[i] = param.fromParams() ? bindOne(param, params.get(param.name()), errors)
						: inject(param, context);
			}
		}
		if (!errors.isEmpty()) {
			throw new InvalidParamsException(errors);
		}
		return args;
	}

	private static @Nullable Object inject(Param param, CallContext context) {
		return (param.source() == Param.Source.CONTEXT) ? context : context.principal();
	}

	private static String count(int values) {
		return (values == 1) ? "1 value" : values + " values";
	}

	private static void rejectUnknownNames(List<Param> declared, JsonNode params, List<FieldError> errors) {
		Set<String> names = new HashSet<>();
		declared.stream().filter(Param::fromParams).forEach((param) -> names.add(param.name()));
		for (Map.Entry<String, JsonNode> property : params.properties()) {
			if (!names.contains(property.getKey())) {
				errors.add(new FieldError(property.getKey(), "is not a parameter of this method"));
			}
		}
	}

	private Object bindOne(Param param, JsonNode value, List<FieldError> errors) {
		if (value == null || value.isNull()) {
			if (!param.required()) {
				return param.absentValue();
			}
			errors.add(new FieldError(param.name(), (value == null) ? "is required" : "must not be null"));
			return null;
		}
		if (!hasExpectedShape(value, param.valueType())) {
			errors.add(new FieldError(param.name(), "must be " + expectation(param.valueType())));
			return null;
		}
		try {
			Object bound = param.reader().readValue(value);
			return param.optional() ? Optional.of(bound) : bound;
		}
		catch (JacksonException ex) {
			errors.add(new FieldError(param.name() + path(ex), describe(ex)));
			return null;
		}
	}

	private static boolean hasExpectedShape(JsonNode value, JavaType type) {
		Class<?> raw = type.getRawClass();
		if (INTEGERS.contains(raw)) {
			return value.isIntegralNumber();
		}
		if (NUMBERS.contains(raw)) {
			return value.isNumber();
		}
		if (raw == boolean.class || raw == Boolean.class) {
			return value.isBoolean();
		}
		if (raw == String.class || raw == char.class || raw == Character.class || raw.isEnum()) {
			return value.isString();
		}
		if (type.isCollectionLikeType() || type.isArrayType()) {
			return value.isArray();
		}
		if (type.isMapLikeType() || raw.isRecord()) {
			return value.isObject();
		}
		return true;
	}

	static String expectation(JavaType type) {
		Class<?> raw = type.getRawClass();
		if (INTEGERS.contains(raw)) {
			return "an integer";
		}
		if (NUMBERS.contains(raw)) {
			return "a number";
		}
		if (raw == boolean.class || raw == Boolean.class) {
			return "true or false";
		}
		if (raw.isEnum()) {
			return "one of " + Arrays.toString(raw.getEnumConstants());
		}
		if (raw == String.class || raw == char.class || raw == Character.class) {
			return "a string";
		}
		if (type.isCollectionLikeType() || type.isArrayType()) {
			return "an array";
		}
		return "an object";
	}

	private static String range(Class<?> type) {
		if (type == int.class || type == Integer.class) {
			return "a 32-bit integer";
		}
		if (type == long.class || type == Long.class) {
			return "a 64-bit integer";
		}
		if (type == short.class || type == Short.class) {
			return "a 16-bit integer";
		}
		if (type == byte.class || type == Byte.class) {
			return "an 8-bit integer";
		}
		return "this parameter";
	}

	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append('.').append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private String describe(JacksonException ex) {
		if (ex instanceof UnrecognizedPropertyException) {
			return "is not a known property";
		}
		if (ex instanceof InputCoercionException coercion && coercion.getTargetType() != null) {
			return "is out of range for " + range(coercion.getTargetType());
		}
		if (ex instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
				&& !mismatch.getPath().isEmpty()) {
			return "must be " + expectation(tools.jackson.databind.type.TypeFactory.createDefaultInstance()
				.constructType(mismatch.getTargetType()));
		}
		String message = ex.getOriginalMessage();
		int end = message.indexOf('\n');
		return "is invalid: " + ((end >= 0) ? message.substring(0, end) : message);
	}

}
