package io.wsrpc.registry;

import java.lang.annotation.Annotation;
import java.lang.reflect.Parameter;
import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Negative;
import jakarta.validation.constraints.NegativeOrZero;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the Bean Validation constraints of a method parameter into its JSON Schema, the
 * way victools' Jakarta validation module does for the fields of records: {@code @Min}
 * and {@code @Max} become {@code minimum} and {@code maximum}, {@code @Size} becomes
 * {@code minLength}, {@code minItems} or {@code minProperties} by the schema's type, and
 * so on. The module sees only fields and getters, so parameters need this.
 */
final class ParamConstraints {

	private ParamConstraints() {
	}

	static void apply(Parameter parameter, ObjectNode schema) {
		for (Annotation annotation : parameter.getAnnotations()) {
			apply(annotation, schema);
		}
	}

	private static void apply(Annotation annotation, ObjectNode schema) {
		if (annotation instanceof Min min) {
			schema.put("minimum", min.value());
		}
		else if (annotation instanceof Max max) {
			schema.put("maximum", max.value());
		}
		else if (annotation instanceof DecimalMin min) {
			schema.put(min.inclusive() ? "minimum" : "exclusiveMinimum", new BigDecimal(min.value()));
		}
		else if (annotation instanceof DecimalMax max) {
			schema.put(max.inclusive() ? "maximum" : "exclusiveMaximum", new BigDecimal(max.value()));
		}
		else if (annotation instanceof Positive) {
			schema.put("exclusiveMinimum", 0);
		}
		else if (annotation instanceof PositiveOrZero) {
			schema.put("minimum", 0);
		}
		else if (annotation instanceof Negative) {
			schema.put("exclusiveMaximum", 0);
		}
		else if (annotation instanceof NegativeOrZero) {
			schema.put("maximum", 0);
		}
		else if (annotation instanceof Size size) {
			if (size.min() > 0) {
				schema.put(sizeKeyword(schema, "min"), size.min());
			}
			if (size.max() < Integer.MAX_VALUE) {
				schema.put(sizeKeyword(schema, "max"), size.max());
			}
		}
		else if (annotation instanceof NotEmpty) {
			schema.put(sizeKeyword(schema, "min"), 1);
		}
		else if (annotation instanceof NotBlank) {
			schema.put("minLength", 1);
		}
		else if (annotation instanceof Pattern pattern) {
			schema.put("pattern", pattern.regexp());
		}
		else if (annotation instanceof Email) {
			schema.put("format", "email");
		}
	}

	/**
	 * The keyword that bounds the size of a value of the schema's type.
	 * @param prefix {@code min} or {@code max}
	 */
	private static String sizeKeyword(ObjectNode schema, String prefix) {
		JsonNode type = schema.get("type");
		String name = (type != null && type.isString()) ? type.asString() : "string";
		return switch (name) {
			case "array" -> prefix + "Items";
			case "object" -> prefix + "Properties";
			default -> prefix + "Length";
		};
	}

}
