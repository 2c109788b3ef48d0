package io.wsrpc.registry;

import java.lang.reflect.Type;
import java.util.Collection;
import java.util.concurrent.CompletionStage;

import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import io.wsrpc.protocol.RpcJson;

import org.springframework.core.ResolvableType;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the OpenRPC 1.3 document that {@code rpc.discover} returns: every method with
 * its params (name, JSON Schema, whether required) and its result schema. Built once at
 * startup.
 */
final class OpenRpcDocument {

	/** The OpenRPC version the document follows. */
	static final String OPENRPC_VERSION = "1.3.2";

	private OpenRpcDocument() {
	}

	static ObjectNode build(RpcJson json, String title, String version, Collection<RegisteredMethod> methods) {
		SchemaGenerator schemas = new SchemaGenerator(
				new SchemaGeneratorConfigBuilder(json.mapper(), SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
					.with(Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES)
					.without(Option.SCHEMA_VERSION_INDICATOR)
					.build());
		ObjectNode document = json.emptyObject();
		document.put("openrpc", OPENRPC_VERSION);
		document.putObject("info").put("title", title).put("version", version);
		ArrayNode entries = document.putArray("methods");
		for (RegisteredMethod method : methods) {
			ObjectNode entry = entries.addObject();
			entry.put("name", method.name());
			entry.put("paramStructure", "either");
			ArrayNode params = entry.putArray("params");
			for (Param param : method.params()) {
				if (!param.fromParams()) {
					continue;
				}
				Type valueType = param.optional() ? ResolvableType.forType(param.type()).getGeneric(0).getType()
						: param.type();
				ObjectNode schema = schemas.generateSchema(valueType);
				if (Cancellation.METHOD_NAME.equals(method.name())) {
					// a request id, which the JsonNode it is bound to does not say
					schema = json.emptyObject();
					schema.putArray("type").add("string").add("number");
				}
				params.addObject().put("name", param.name()).put("required", param.required()).set("schema", schema);
			}
			ObjectNode result = entry.putObject("result").put("name", "result");
			Type resultType = unwrapStage(method.resultType());
			if (resultType == void.class || resultType == Void.class) {
				result.putObject("schema").put("type", "null");
			}
			else {
				result.set("schema", schemas.generateSchema(resultType));
			}
		}
		return document;
	}

	private static Type unwrapStage(Type type) {
		ResolvableType resolvable = ResolvableType.forType(type);
		if (CompletionStage.class.isAssignableFrom(resolvable.toClass())) {
			Type value = ResolvedTypes.resolve(resolvable.as(CompletionStage.class).getGeneric(0));
			return (value != null) ? value : Object.class;
		}
		return type;
	}

}
