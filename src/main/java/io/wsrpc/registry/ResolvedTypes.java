package io.wsrpc.registry;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;

import org.springframework.core.ResolvableType;

/**
 * Turns a {@link ResolvableType} into a plain reflected type with every type variable
 * replaced by what the bean's class binds it to, so that Jackson and the schema generator
 * see {@code String} where the declaration said {@code T}.
 */
final class ResolvedTypes {

	private ResolvedTypes() {
	}

	/**
	 * Resolves a type fully.
	 * @param type the type, as seen from the bean's class
	 * @return the resolved type, or {@code null} if some part of it stays unknown
	 */
	static @Nullable Type resolve(ResolvableType type) {
		Class<?> raw = type.resolve();
		if (raw == null) {
			return null;
		}
		if (raw.isArray()) {
			Type component = resolve(type.getComponentType());
			return (component instanceof Class<?>) ? raw : null;
		}
		if (!type.hasGenerics()) {
			return raw;
		}
		ResolvableType[] generics = type.getGenerics();
		ResolvableType[] resolved = new ResolvableType[generics.length];
		for (int i = 0; i < generics.length; i++) {
			Type generic = resolve(generics[i]);
			if (generic == null) {
				return null;
			}
			resolved[i] = ResolvableType.forType(generic);
		}
		return ResolvableType.forClassWithGenerics(raw, resolved).getType();
	}

}
