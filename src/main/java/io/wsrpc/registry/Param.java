package io.wsrpc.registry;

import java.lang.reflect.Type;
import java.util.Objects;

import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;

/**
 * One parameter of a registered method, ready for binding.
 *
 * @param name the name a named param must have
 * @param type the declared Java type
 * @param valueType the Jackson type a JSON value binds to ({@code T} for
 * {@code Optional<T>})
 * @param reader reads a JSON value into {@code valueType}
 * @param optional whether the parameter is an {@code Optional}, which is empty when the
 * param is missing or {@code null}
 * @param nullable whether the parameter is marked {@code @Nullable}: {@code null} when
 * the param is missing or {@code null}
 */
public record Param(String name, Type type, JavaType valueType, ObjectReader reader, boolean optional,
		boolean nullable) {

	public Param {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(valueType, "valueType");
		Objects.requireNonNull(reader, "reader");
	}

	/**
	 * Whether a call must give this param.
	 * @return {@code true} unless the parameter is optional or nullable
	 */
	public boolean required() {
		return !this.optional && !this.nullable;
	}

	/**
	 * The value a missing or {@code null} param binds to.
	 * @return an empty {@code Optional}, or {@code null}
	 */
	public Object absentValue() {
		return this.optional ? java.util.Optional.empty() : null;
	}

}
