package io.wsrpc.registry;

import java.lang.reflect.Type;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;

/**
 * One parameter of a registered method, ready for binding.
 *
 * @param name the name a named param must have
 * @param type the declared Java type, with type variables resolved
 * @param valueType the Jackson type a JSON value binds to ({@code T} for
 * {@code Optional<T>})
 * @param reader reads a JSON value into {@code valueType}
 * @param optional whether the parameter is an {@code Optional}, which is empty when the
 * param is missing or {@code null}
 * @param nullable whether the parameter is marked {@code @Nullable}: {@code null} when
 * the param is missing or {@code null}
 * @param source where the argument comes from: the call's params, or the server
 */
public record Param(String name, Type type, JavaType valueType, ObjectReader reader, boolean optional, boolean nullable,
		Source source) {

	public Param {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(valueType, "valueType");
		Objects.requireNonNull(reader, "reader");
		Objects.requireNonNull(source, "source");
	}

	/**
	 * Whether a call must give this param.
	 * @return {@code true} unless the parameter is optional or nullable
	 */
	public boolean required() {
		return !this.optional && !this.nullable;
	}

	/**
	 * Whether the argument is bound from the call's params, rather than given by the
	 * server.
	 * @return {@code true} for a param
	 */
	public boolean fromParams() {
		return this.source == Source.PARAMS;
	}

	/**
	 * The value a missing or {@code null} param binds to.
	 * @return an empty {@code Optional}, or {@code null}
	 */
	public @Nullable Object absentValue() {
		return this.optional ? Optional.empty() : null;
	}

	/**
	 * Where an argument comes from.
	 */
	public enum Source {

		/** The call's params. */
		PARAMS,

		/** The server: the {@link io.wsrpc.api.CallContext} of the call. */
		CONTEXT,

		/** The server: the caller's {@link java.security.Principal}, or {@code null}. */
		PRINCIPAL

	}

}
