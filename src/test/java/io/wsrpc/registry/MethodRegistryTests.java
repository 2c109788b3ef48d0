package io.wsrpc.registry;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import io.wsrpc.api.CallContext;
import io.wsrpc.api.RpcMethod;
import io.wsrpc.protocol.RpcJson;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.aopalliance.intercept.MethodInterceptor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class MethodRegistryTests {

	private final RpcJson json = new RpcJson();

	@Test
	void nameDefaultsToTheJavaMethodName() {
		MethodRegistry registry = scan((context) -> context.registerBean("math", MathMethods.class, MathMethods::new));

		assertThat(registry.find("subtract")).hasValueSatisfying((method) -> {
			assertThat(method.beanName()).isEqualTo("math");
			assertThat(method.method().getName()).isEqualTo("subtract");
			assertThat(method.signature()).isEqualTo("MathMethods.subtract(int, int)");
		});
	}

	@Test
	void annotationValueSetsTheName() throws Throwable {
		MethodRegistry registry = scan((context) -> context.registerBean("math", MathMethods.class, MathMethods::new));

		assertThat(registry.find("add")).isEmpty();
		RegisteredMethod add = registry.find("math.add").orElseThrow();
		assertThat(add.params()).extracting(Param::name).containsExactly("a", "b");
		assertThat(add.invoke(new Object[] { 2, 3 })).isEqualTo(5);
	}

	@Test
	void methodsAreListedByName() {
		MethodRegistry registry = scan((context) -> context.registerBean("math", MathMethods.class, MathMethods::new));

		assertThat(registry.methods()).extracting(RegisteredMethod::name)
			.containsExactly("math.add", "rpc.cancel", "rpc.discover", "subtract");
	}

	@Test
	void discoveryAndCancellationAreRegisteredEvenWithoutMethods() {
		MethodRegistry registry = scan((context) -> {
		});

		assertThat(registry.methods()).extracting(RegisteredMethod::name)
			.containsExactly(Cancellation.METHOD_NAME, Discovery.METHOD_NAME);
		assertThat(registry.find("rpc.discover")).isPresent();
	}

	@Test
	void unknownNameIsNotFound() {
		MethodRegistry registry = scan((context) -> context.registerBean("math", MathMethods.class, MathMethods::new));

		assertThat(registry.find("math.divide")).isEmpty();
		assertThat(registry.find("")).isEmpty();
	}

	@Test
	void twoMethodsWithOneNameFailNamingBothMethodsAndBothBeans() {
		assertThatIllegalStateException().isThrownBy(() -> scan((context) -> {
			context.registerBean("first", FirstSame.class, FirstSame::new);
			context.registerBean("second", SecondSame.class, SecondSame::new);
		}))
			.withMessageContaining("'same'")
			.withMessageContaining("FirstSame.one()")
			.withMessageContaining("'first'")
			.withMessageContaining("SecondSame.two(String)")
			.withMessageContaining("'second'");
	}

	@Test
	void nameInTheReservedRpcNamespaceFailsNamingIt() {
		assertThatIllegalStateException()
			.isThrownBy(() -> scan((context) -> context.registerBean("reserved", Reserved.class, Reserved::new)))
			.withMessageContaining("rpc.custom")
			.withMessageContaining("Reserved.custom()")
			.withMessageContaining("'reserved'");
	}

	@Test
	void nonPublicMethodFails() {
		assertThatIllegalStateException()
			.isThrownBy(() -> scan((context) -> context.registerBean("hidden", Hidden.class, Hidden::new)))
			.withMessageContaining("Hidden.secret()")
			.withMessageContaining("public instance method");
	}

	@Test
	void staticMethodFails() {
		assertThatIllegalStateException()
			.isThrownBy(() -> scan((context) -> context.registerBean("statics", Statics.class, Statics::new)))
			.withMessageContaining("Statics.shared()")
			.withMessageContaining("public instance method");
	}

	@Test
	void parameterOfAnInterfaceTypeFailsNamingTheParameter() {
		assertThatIllegalStateException()
			.isThrownBy(() -> scan((context) -> context.registerBean("tasks", Tasks.class, Tasks::new)))
			.withMessageContaining("Tasks.run(Runnable)")
			.withMessageContaining("'task'");
	}

	@Test
	void parameterOfAnUnresolvedTypeVariableFails() {
		assertThatIllegalStateException()
			.isThrownBy(() -> scan((context) -> context.registerBean("box", Box.class, Box::new)))
			.withMessageContaining("Box.put(Object)")
			.withMessageContaining("'value'");
	}

	@Test
	void typeVariableResolvedByASubclassBinds() {
		MethodRegistry registry = scan((context) -> context.registerBean("stringBox", StringBox.class, StringBox::new));

		assertThat(registry.find("put").orElseThrow().params().get(0).type()).isEqualTo(String.class);
	}

	@Test
	void beanBehindAProxyIsInvokedThroughTheProxy() throws Throwable {
		MathMethods target = new MathMethods();
		List<String> advised = new ArrayList<>();
		ProxyFactory factory = new ProxyFactory(target);
		factory.setProxyTargetClass(true);
		factory.addAdvice((MethodInterceptor) (invocation) -> {
			advised.add(invocation.getMethod().getName());
			return invocation.proceed();
		});
		MathMethods proxy = (MathMethods) factory.getProxy();
		assertThat(AopUtils.isCglibProxy(proxy)).isTrue();

		MethodRegistry registry = scan((context) -> context.registerBean("math", MathMethods.class, () -> proxy));
		RegisteredMethod add = registry.find("math.add").orElseThrow();

		assertThat(add.invoke(new Object[] { 4, 5 })).isEqualTo(9);
		assertThat(advised).containsExactly("add");
		assertThat(add.target()).isSameAs(target);
		assertThat(add.method().getDeclaringClass()).isEqualTo(MathMethods.class);
	}

	@Test
	void discoveryDescribesEachMethodWithItsParamsAndResult() throws Throwable {
		JsonNode document = discover((context) -> context.registerBean("math", MathMethods.class, MathMethods::new));

		assertThat(document.get("openrpc").asString()).isEqualTo("1.3.2");
		assertThat(document.get("info")).isEqualTo(json("""
				{"title": "t", "version": "1"}"""));
		assertThat(method(document, "math.add")).isEqualTo(
				json("""
						{
						  "name": "math.add",
						  "paramStructure": "either",
						  "params": [
						    {"name": "a", "required": true, "schema": {"type": "integer"}},
						    {"name": "b", "required": true, "schema": {"type": "integer"}}
						  ],
						  "result": {"name": "result", "schema": {"type": "integer"}},
						  "errors": [
						    {"code": -32602, "message": "invalid_params: params that do not bind or do not validate; data names each field"},
						    {"code": -32603, "message": "internal_error: the method failed on the server"},
						    {"code": -32001, "message": "timeout: the call ran past its deadline"},
						    {"code": -32002, "message": "overloaded: too many calls are running, or the server is shutting down"},
						    {"code": -32005, "message": "rate_limited: the connection sent faster than its rate limit"},
						    {"code": -32800, "message": "cancelled: the client cancelled the call"}
						  ]
						}"""));
	}

	@Test
	void discoveryGivesAMethodTheDescriptionOfItsAnnotation() throws Throwable {
		JsonNode document = discover((context) -> context.registerBean("bounded", Bounded.class, Bounded::new));

		assertThat(method(document, "bounded").path("description").asString())
			.isEqualTo("Takes bounded params and fails with not_found.");
		assertThat(method(document, Cancellation.METHOD_NAME).path("description").asString())
			.startsWith("Cancels a call still running");
	}

	@Test
	void discoveryGivesEachParamTheBeanValidationBoundsOfItsParameter() throws Throwable {
		// as a client reads it: a bound written from a long and one parsed from 1 are the
		// same number
		JsonNode params = json(
				method(discover((context) -> context.registerBean("bounded", Bounded.class, Bounded::new)), "bounded")
					.get("params")
					.toString());

		assertThat(params.get(0).get("schema")).isEqualTo(json("""
				{"type": "integer", "minimum": 1, "maximum": 5}"""));
		assertThat(params.get(1).get("schema")).isEqualTo(json("""
				{"type": "string", "minLength": 2, "maxLength": 3, "pattern": "[a-z]+"}"""));
		assertThat(params.get(2).get("schema")).isEqualTo(json("""
				{"type": "array", "items": {"type": "string"}, "minItems": 1}"""));
		assertThat(params.get(3).get("schema")).isEqualTo(json("""
				{"type": "number", "exclusiveMinimum": 0}"""));
		assertThat(params.get(4).get("schema").at("/properties/count")).isEqualTo(json("""
				{"type": "integer", "exclusiveMinimum": 0}"""));
	}

	@Test
	void discoveryListsRoleErrorsForMethodsWithRolesAndTheErrorsAMethodDeclares() throws Throwable {
		JsonNode bounded = method(discover((context) -> context.registerBean("bounded", Bounded.class, Bounded::new)),
				"bounded");

		assertThat(bounded.get("errors")).extracting((error) -> error.get("code").asInt())
			.containsExactly(-32602, -32603, -32001, -32002, -32003, -32004, -32005, -32800, -32000);
		assertThat(bounded.get("errors").get(8)).isEqualTo(json("""
				{"code": -32000, "message": "not_found"}"""));
	}

	@Test
	void discoveryLeavesTimeoutAndCancelledOutForInlineMethods() throws Throwable {
		JsonNode quick = method(discover((context) -> context.registerBean("bounded", Bounded.class, Bounded::new)),
				"quick");

		assertThat(quick.get("errors")).extracting((error) -> error.get("code").asInt())
			.containsExactly(-32602, -32603, -32002, -32005);
	}

	@Test
	void discoveryOverAConnectionNamesEachEndpointAtTheHostAndPathTheConnectionWasOpenedAt() throws Throwable {
		List<Discovery.Endpoint> endpoints = List.of(new Discovery.Endpoint("native", "/ws", "native"),
				new Discovery.Endpoint("jsonrpc", "/jsonrpc", "JSON-RPC"));
		MethodRegistry registry;
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			context.refresh();
			registry = MethodRegistry.scan(context, this.json, "t", "1", endpoints);
		}
		RegisteredMethod discover = registry.find(Discovery.METHOD_NAME).orElseThrow();
		CallContext caller = new CallContext(null, Set.of(), "c-1", URI.create("wss://example.com:8443/app/jsonrpc"));

		JsonNode document = (JsonNode) discover.invoke(new Object[] { caller });

		assertThat(document.get("servers")).isEqualTo(json("""
				[
				  {"name": "native", "url": "wss://example.com:8443/app/ws", "summary": "native"},
				  {"name": "jsonrpc", "url": "wss://example.com:8443/app/jsonrpc", "summary": "JSON-RPC"}
				]"""));
		assertThat(registry.discovery().document(URI.create("ws://localhost:8080")).get("servers")).isEqualTo(json("""
				[
				  {"name": "native", "url": "ws://localhost:8080/ws", "summary": "native"},
				  {"name": "jsonrpc", "url": "ws://localhost:8080/jsonrpc", "summary": "JSON-RPC"}
				]"""));
	}

	@Test
	void discoveryMarksOptionalAndNullableParamsAsNotRequired() throws Throwable {
		JsonNode greet = method(discover((context) -> context.registerBean("shapes", Shapes.class, Shapes::new)),
				"greet");

		assertThat(greet.get("params")).isEqualTo(json("""
				[
				  {"name": "name", "required": true, "schema": {"type": "string"}},
				  {"name": "greeting", "required": false, "schema": {"type": "string"}},
				  {"name": "times", "required": false, "schema": {"type": "integer"}}
				]"""));
	}

	@Test
	void discoveryGivesTheResultSchemaOfAFutureAsThatOfItsValue() throws Throwable {
		JsonNode later = method(discover((context) -> context.registerBean("shapes", Shapes.class, Shapes::new)),
				"later");

		assertThat(later.get("result")).isEqualTo(json("""
				{"name": "result", "schema": {"type": "string"}}"""));
	}

	@Test
	void discoveryGivesTheResultSchemaOfAStageAsThatOfItsValue() throws Throwable {
		JsonNode stage = method(discover((context) -> context.registerBean("shapes", Shapes.class, Shapes::new)),
				"stage");

		assertThat(stage.get("result")).isEqualTo(json("""
				{"name": "result", "schema": {"type": "string"}}"""));
	}

	@Test
	void discoveryGivesVoidResultsTheNullSchema() throws Throwable {
		JsonNode nothing = method(discover((context) -> context.registerBean("shapes", Shapes.class, Shapes::new)),
				"nothing");

		assertThat(nothing.get("params")).isEqualTo(json("[]"));
		assertThat(nothing.get("result")).isEqualTo(json("""
				{"name": "result", "schema": {"type": "null"}}"""));
	}

	@Test
	void discoveryDescribesRecordParamsAsObjects() throws Throwable {
		JsonNode move = method(discover((context) -> context.registerBean("shapes", Shapes.class, Shapes::new)),
				"move");
		JsonNode schema = move.get("params").get(0).get("schema");

		assertThat(schema.get("type").asString()).isEqualTo("object");
		assertThat(schema.get("properties").get("x")).isEqualTo(json("""
				{"type": "integer"}"""));
		assertThat(schema.get("properties").get("y")).isEqualTo(json("""
				{"type": "integer"}"""));
	}

	private MethodRegistry scan(Consumer<GenericApplicationContext> beans) {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			beans.accept(context);
			context.refresh();
			return MethodRegistry.scan(context, this.json, "t", "1");
		}
	}

	private JsonNode discover(Consumer<GenericApplicationContext> beans) throws Throwable {
		RegisteredMethod discover = scan(beans).find(Discovery.METHOD_NAME).orElseThrow();
		return (JsonNode) discover.invoke(new Object[] { CallContext.anonymous("c-1") });
	}

	private static JsonNode method(JsonNode document, String name) {
		for (JsonNode method : document.get("methods")) {
			if (method.get("name").asString().equals(name)) {
				return method;
			}
		}
		throw new AssertionError("No method '" + name + "' in " + document);
	}

	private JsonNode json(String text) {
		return this.json.readTree(text);
	}

	static class MathMethods {

		@RpcMethod("math.add")
		public int add(int a, int b) {
			return a + b;
		}

		@RpcMethod
		public int subtract(int a, int b) {
			return a - b;
		}

		public int notPublished(int a) {
			return a;
		}

	}

	record Point(int x, int y) {
	}

	static class Shapes {

		@RpcMethod
		public String greet(String name, Optional<String> greeting, @Nullable Integer times) {
			return name;
		}

		@RpcMethod
		public CompletableFuture<String> later() {
			return CompletableFuture.completedFuture("done");
		}

		@RpcMethod
		public CompletionStage<String> stage() {
			return CompletableFuture.completedFuture("done");
		}

		@RpcMethod
		public void nothing() {
		}

		@RpcMethod
		public Point move(Point from) {
			return from;
		}

	}

	record Limits(@Positive int count) {
	}

	static class Bounded {

		@RpcMethod(roles = "admin", errors = { "not_found", "forbidden" },
				description = "Takes bounded params and fails with not_found.")
		public int bounded(@Min(1) @Max(5) int n, @Size(min = 2, max = 3) @Pattern(regexp = "[a-z]+") String code,
				@NotEmpty List<String> tags, @DecimalMin(value = "0", inclusive = false) BigDecimal price,
				@Valid Limits limits) {
			return n;
		}

		@RpcMethod(inline = true)
		public int quick() {
			return 1;
		}

	}

	static class FirstSame {

		@RpcMethod("same")
		public void one() {
		}

	}

	static class SecondSame {

		@RpcMethod("same")
		public void two(String text) {
		}

	}

	static class Reserved {

		@RpcMethod("rpc.custom")
		public void custom() {
		}

	}

	static class Hidden {

		@RpcMethod
		void secret() {
		}

	}

	static class Statics {

		@RpcMethod
		public static void shared() {
		}

	}

	static class Tasks {

		@RpcMethod
		public void run(Runnable task) {
		}

	}

	static class Box<T> {

		@RpcMethod
		public void put(T value) {
		}

	}

	static class StringBox extends Box<String> {

	}

}
