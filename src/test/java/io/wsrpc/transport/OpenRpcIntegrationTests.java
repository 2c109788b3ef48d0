package io.wsrpc.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /openrpc.json} against a real server: the document of {@code rpc.discover},
 * valid OpenRPC, with servers, descriptions, errors and bounds.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class OpenRpcIntegrationTests {

	/** The id the JSON Schema meta-schema of the OpenRPC meta-schema has. */
	private static final String JSON_SCHEMA_TOOLS = "https://meta.json-schema.tools";

	@LocalServerPort
	private int port;

	private HttpResponse<String> get(String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Origin", "https://playground.open-rpc.org")
			.build();
		try {
			return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private JsonNode document() {
		HttpResponse<String> response = get("/openrpc.json");
		assertThat(response.statusCode()).isEqualTo(200);
		return json(response.body());
	}

	private static JsonNode method(JsonNode document, String name) {
		for (JsonNode method : document.get("methods")) {
			if (method.get("name").asString().equals(name)) {
				return method;
			}
		}
		throw new AssertionError("No method '" + name + "' in " + document);
	}

	@Test
	void documentIsServedAsJsonThatAPageOfAnyOriginMayReadWithoutAKey() {
		HttpResponse<String> response = get("/openrpc.json");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		assertThat(response.headers().allValues("Access-Control-Allow-Origin")).containsExactly("*");
	}

	@Test
	void documentOverHttpIsTheDocumentRpcDiscoverGivesOnBothEndpoints() {
		JsonNode overHttp = document();

		try (TestClient nativeClient = TestClient.connect(this.port, "/ws");
				TestClient jsonRpcClient = TestClient.connect(this.port, "/jsonrpc")) {
			assertThat(nativeClient.call("""
					{"request_id": 1, "action": "rpc.discover"}""").get("result")).isEqualTo(overHttp);
			assertThat(jsonRpcClient.call("""
					{"jsonrpc": "2.0", "id": 1, "method": "rpc.discover"}""").get("result")).isEqualTo(overHttp);
		}
	}

	@Test
	void documentIsValidAgainstThePublishedOpenRpcMetaSchema() {
		List<Error> errors = openRpcMetaSchema().validate(document());

		assertThat(errors).isEmpty();
	}

	@Test
	void documentNamesBothEndpointsAtTheHostAndPortOfTheRequest() {
		assertThat(document().get("servers")).isEqualTo(json("""
				[
				  {"name": "native", "url": "ws://localhost:%1$d/ws",
				   "summary": "The native protocol: request_id, action and params"},
				  {"name": "jsonrpc", "url": "ws://localhost:%1$d/jsonrpc", "summary": "JSON-RPC 2.0"}
				]""".formatted(this.port)));
	}

	@Test
	void everyMethodHasADescriptionAndTheErrorsItCanAnswer() {
		JsonNode methods = document().get("methods");

		assertThat(methods).extracting((method) -> method.get("name").asString())
			.contains("add_numbers", "echo", "multiply_numbers", "ping", "publish", "reverse", "rpc.cancel", "sleep",
					"subscribe", "unsubscribe");
		for (JsonNode method : methods) {
			String name = method.get("name").asString();
			assertThat(method.path("description").asString()).as("description of %s", name).isNotBlank();
			assertThat(method.get("errors")).as("errors of %s", name)
				.extracting((error) -> error.get("code").asInt())
				.contains(-32602, -32603);
		}
	}

	@Test
	void topicMethodsListForbiddenAndSlowMethodsListTimeout() {
		JsonNode document = document();

		assertThat(method(document, "subscribe").get("errors")).contains(json("""
				{"code": -32004, "message": "forbidden: the caller lacks every role the method needs"}"""));
		assertThat(method(document, "sleep").get("errors")).contains(json("""
				{"code": -32001, "message": "timeout: the call ran past its deadline"}"""));
	}

	@Test
	void sleepsParamSchemaHasItsBeanValidationBounds() {
		assertThat(method(document(), "sleep").get("params")).isEqualTo(json("""
				[{"name": "ms", "required": true, "schema": {"type": "integer", "minimum": 0, "maximum": 10000}}]"""));
	}

	/**
	 * The OpenRPC meta-schema from test resources; it refers to a JSON Schema meta-schema
	 * of its own by URL, which is read from test resources too. Both are draft 07.
	 */
	private static Schema openRpcMetaSchema() {
		Dialect jsonSchemaTools = Dialect.builder(JSON_SCHEMA_TOOLS + "/", Dialects.getDraft7()).build();
		SchemaRegistry registry = SchemaRegistry.withDialect(jsonSchemaTools,
				(builder) -> builder
					.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
					.schemaIdResolvers((resolvers) -> resolvers.mappings((id) -> id.startsWith(JSON_SCHEMA_TOOLS)
							? "classpath:openrpc/json-schema-tools-meta-schema.json" : null)));
		try (InputStream metaSchema = OpenRpcIntegrationTests.class
			.getResourceAsStream("/openrpc/openrpc-meta-schema.json")) {
			assertThat(metaSchema).isNotNull();
			return registry.getSchema(SchemaLocation.of("https://meta.open-rpc.org/"), metaSchema, InputFormat.JSON);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
