package io.wsrpc.registry;

import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationOption;
import io.wsrpc.api.RpcException;
import io.wsrpc.protocol.ErrorCode;
import io.wsrpc.protocol.RpcJson;

import org.springframework.core.ResolvableType;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the OpenRPC 1.3 document that {@code rpc.discover} returns: every method with
 * its description, its params (name, JSON Schema with the Bean Validation bounds, whether
 * required), its result schema and the errors it can answer. Built once at startup,
 * without servers, which {@link Discovery} adds for each caller.
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
					.with(new JakartaValidationModule(JakartaValidationOption.INCLUDE_PATTERN_EXPRESSIONS))
					.build());
		ObjectNode document = json.emptyObject();
		document.put("openrpc", OPENRPC_VERSION);
		document.putObject("info").put("title", title).put("version", version);
		ArrayNode entries = document.putArray("methods");
		for (RegisteredMethod method : methods) {
			ObjectNode entry = entries.addObject();
			entry.put("name", method.name());
			if (!method.description().isEmpty()) {
				entry.put("description", method.description());
			}
			entry.put("paramStructure", "either");
			ArrayNode params = entry.putArray("params");
			Parameter[] parameters = method.method().getParameters();
			for (int i = 0; i < method.params().size(); i++) {
				Param param = method.params().get(i);
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
				ParamConstraints.apply(parameters[i], schema);
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
			ArrayNode errors = entry.putArray("errors");
			for (ErrorCode code : serverErrors(method)) {
				errors.addObject().put("code", code.jsonRpcCode()).put("message", message(code));
			}
			for (String code : method.errors()) {
				if (ErrorCode.fromWireName(code).isEmpty()) {
					errors.addObject().put("code", RpcException.DEFAULT_JSON_RPC_CODE).put("message", code);
				}
			}
		}
		return document;
	}

	/**
	 * The server's own codes a call of the method can be answered with, in the order of
	 * {@link ErrorCode}, with those the method declares. Codes about a frame rather than
	 * a call ({@code parse_error}, {@code invalid_request}, {@code method_not_found}) are
	 * no method's.
	 */
	private static Set<ErrorCode> serverErrors(RegisteredMethod method) {
		Set<ErrorCode> codes = EnumSet.of(ErrorCode.INVALID_PARAMS, ErrorCode.INTERNAL_ERROR, ErrorCode.RATE_LIMITED);
		if (!Cancellation.METHOD_NAME.equals(method.name())) {
			// rpc.cancel is never refused by a limit and never runs long
			codes.add(ErrorCode.OVERLOADED);
			boolean stage = CompletionStage.class
				.isAssignableFrom(ResolvableType.forType(method.resultType()).toClass());
			if (!method.inline() || stage) {
				codes.add(ErrorCode.TIMEOUT);
				codes.add(ErrorCode.CANCELLED);
			}
		}
		if (!method.roles().isEmpty()) {
			codes.add(ErrorCode.UNAUTHORIZED);
			codes.add(ErrorCode.FORBIDDEN);
		}
		for (String code : method.errors()) {
			ErrorCode.fromWireName(code).ifPresent(codes::add);
		}
		return codes;
	}

	/**
	 * The error's message in the document: its name on {@code /ws}, then what it means.
	 */
	private static String message(ErrorCode code) {
		String meaning = switch (code) {
			case PARSE_ERROR -> "the frame is not JSON";
			case INVALID_REQUEST -> "the frame is not a request";
			case METHOD_NOT_FOUND -> "no method has that name";
			case INVALID_PARAMS -> "params that do not bind or do not validate; data names each field";
			case INTERNAL_ERROR -> "the method failed on the server";
			case TIMEOUT -> "the call ran past its deadline";
			case OVERLOADED -> "too many calls are running, or the server is shutting down";
			case UNAUTHORIZED -> "the method needs an authenticated caller";
			case FORBIDDEN -> "the caller lacks every role the method needs";
			case RATE_LIMITED -> "the connection sent faster than its rate limit";
			case CANCELLED -> "the client cancelled the call";
		};
		return code.wireName() + ": " + meaning;
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
