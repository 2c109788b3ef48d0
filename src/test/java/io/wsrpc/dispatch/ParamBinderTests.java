package io.wsrpc.dispatch;

import io.wsrpc.api.CallContext;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.wsrpc.api.RpcMethod;
import io.wsrpc.protocol.FieldError;
import io.wsrpc.protocol.RpcJson;
import io.wsrpc.registry.MethodRegistry;
import io.wsrpc.registry.RegisteredMethod;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.validation.executable.ExecutableValidator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class ParamBinderTests {

	private static final RpcJson json = new RpcJson();

	private static final MethodRegistry registry = scan();

	private static final ValidatorFactory validatorFactory = Validation.buildDefaultValidatorFactory();

	private final ParamBinder binder = new ParamBinder(json);

	@AfterAll
	static void closeValidatorFactory() {
		validatorFactory.close();
	}

	@Test
	void namedParamsBindByName() {
		assertThat(bind("add", """
				{"b": 2, "a": 1}""")).containsExactly(1, 2);
	}

	@Test
	void positionalParamsBindByPosition() {
		assertThat(bind("add", "[1, 2]")).containsExactly(1, 2);
	}

	@Test
	void everyScalarTypeBindsFromItsJsonType() {
		Object[] args = bind("scalars", """
				{"count": 9223372036854775807, "boxed": 7, "amount": 0.10, "ratio": 0.5,
				 "flag": true, "text": "hi", "color": "GREEN"}""");

		assertThat(args).containsExactly(Long.MAX_VALUE, 7, new BigDecimal("0.10"), 0.5, true, "hi", Color.GREEN);
	}

	@Test
	void decimalsKeepEveryDigitAndIntegersBindAsDecimals() {
		assertThat(bind("decimal", """
				{"amount": 12345678901234567890.123456789}"""))
			.containsExactly(new BigDecimal("12345678901234567890.123456789"));
		assertThat(bind("decimal", """
				{"amount": 3}""")).containsExactly(new BigDecimal("3"));
	}

	@Test
	void collectionsAndMapsBind() {
		assertThat(bind("collections", """
				{"tags": ["a", "b"], "scores": {"x": 1, "y": 2}}""")).containsExactly(List.of("a", "b"),
				Map.of("x", 1, "y", 2));
	}

	@Test
	void recordsBindFromObjects() {
		assertThat(bind("register", """
				{"person": {"name": "Ann", "age": 30}, "tags": []}""")).containsExactly(new Person("Ann", 30),
				List.of());
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			add       | {"a": "5", "b": 1}       | a     | must be an integer
			decimal   | {"amount": "5"}          | amount| must be a number
			ratio     | {"ratio": "5"}           | ratio | must be a number
			add       | {"a": 1.5, "b": 1}       | a     | must be an integer
			add       | {"a": 1.0, "b": 1}       | a     | must be an integer
			add       | {"a": 1e2, "b": 1}       | a     | must be an integer
			count     | {"count": 2.0}           | count | must be an integer
			boxed     | {"boxed": 1.5}           | boxed | must be an integer
			flag      | {"flag": 1}              | flag  | must be true or false
			flag      | {"flag": "true"}         | flag  | must be true or false
			text      | {"text": 5}              | text  | must be a string
			text      | {"text": true}           | text  | must be a string
			text      | {"text": {}}             | text  | must be a string
			color     | {"color": 1}             | color | must be one of [RED, GREEN]
			add       | {"a": [1], "b": 1}       | a     | must be an integer
			register  | {"person": "Ann", "tags": []} | person | must be an object
			register  | {"person": {"name": "Ann", "age": 1}, "tags": "a"} | tags | must be an array
			""")
	void valueOfTheWrongJsonTypeFailsWithoutCoercion(String method, String params, String field, String message) {
		assertThat(errors(method, params)).containsExactly(new FieldError(field, message));
	}

	@Test
	void nullForAPrimitiveMustNotBeNull() {
		assertThat(errors("add", """
				{"a": null, "b": 1}""")).containsExactly(new FieldError("a", "must not be null"));
	}

	@Test
	void nullForARequiredBoxedParamMustNotBeNull() {
		assertThat(errors("boxed", """
				{"boxed": null}""")).containsExactly(new FieldError("boxed", "must not be null"));
	}

	@Test
	void missingRequiredParamIsRequired() {
		assertThat(errors("add", """
				{"a": 1}""")).containsExactly(new FieldError("b", "is required"));
		assertThat(errors("add", "[1]")).containsExactly(new FieldError("b", "is required"));
	}

	@Test
	void unknownNameIsNotAParameter() {
		assertThat(errors("add", """
				{"a": 1, "b": 2, "c": 3}""")).containsExactly(new FieldError("c", "is not a parameter of this method"));
	}

	@Test
	void tooManyPositionalValuesFailOnParams() {
		assertThat(errors("add", "[1, 2, 3]")).extracting(FieldError::field).containsExactly("params");
		assertThat(errors("text", "[\"a\", \"b\"]")).extracting(FieldError::field).containsExactly("params");
	}

	@Test
	void missingTrailingPositionalValuesAreAllowedWhenOptional() {
		assertThat(bind("greet", "[\"Ann\"]")).containsExactly("Ann", Optional.empty(), null);
		assertThat(bind("greet", "[\"Ann\", \"Hi\"]")).containsExactly("Ann", Optional.of("Hi"), null);
		assertThat(bind("greet", "[\"Ann\", null, 2]")).containsExactly("Ann", Optional.empty(), 2);
	}

	@Test
	void optionalAndNullableParamsMayBeLeftOutOrNull() {
		assertThat(bind("greet", """
				{"name": "Ann"}""")).containsExactly("Ann", Optional.empty(), null);
		assertThat(bind("greet", """
				{"name": "Ann", "greeting": null, "times": null}""")).containsExactly("Ann", Optional.empty(), null);
		assertThat(bind("greet", """
				{"name": "Ann", "greeting": "Hi", "times": 3}""")).containsExactly("Ann", Optional.of("Hi"), 3);
	}

	@Test
	void optionalParamStillChecksTheTypeOfAGivenValue() {
		assertThat(errors("greet", """
				{"name": "Ann", "greeting": 5, "times": "3"}""")).containsExactly(
				new FieldError("greeting", "must be a string"), new FieldError("times", "must be an integer"));
	}

	@Test
	void intOutOfRangeFails() {
		assertThat(errors("add", """
				{"a": 3000000000, "b": 1}""")).extracting(FieldError::field).containsExactly("a");
		assertThat(errors("boxed", """
				{"boxed": -3000000000}""")).extracting(FieldError::field).containsExactly("boxed");
	}

	@Test
	void longOutOfRangeFails() {
		assertThat(errors("count", """
				{"count": 9223372036854775808}""")).extracting(FieldError::field).containsExactly("count");
	}

	@Test
	void nestedRecordErrorsCarryThePath() {
		assertThat(errors("register", """
				{"person": {"name": "Ann", "age": "30"}, "tags": []}"""))
			.containsExactly(new FieldError("person.age", "must be an integer"));
		assertThat(errors("register", """
				{"person": {"name": 5, "age": 30}, "tags": []}"""))
			.containsExactly(new FieldError("person.name", "must be a string"));
	}

	@Test
	void unknownRecordPropertyFails() {
		assertThat(errors("register", """
				{"person": {"name": "Ann", "age": 30, "nick": "A"}, "tags": []}"""))
			.containsExactly(new FieldError("person.nick", "is not a known property"));
	}

	@Test
	void listElementErrorsCarryTheIndex() {
		assertThat(errors("collections", """
				{"tags": ["a", 5], "scores": {}}""")).containsExactly(new FieldError("tags[1]", "must be a string"));
	}

	@Test
	void mapValueErrorsCarryTheKey() {
		assertThat(errors("collections", """
				{"tags": [], "scores": {"x": "1"}}""")).extracting(FieldError::field).containsExactly("scores.x");
	}

	@Test
	void enumBindsByNameOnly() {
		assertThat(bind("color", """
				{"color": "RED"}""")).containsExactly(Color.RED);
		assertThat(errors("color", """
				{"color": 0}""")).containsExactly(new FieldError("color", "must be one of [RED, GREEN]"));
		assertThat(errors("color", """
				{"color": "BLUE"}""")).extracting(FieldError::field).containsExactly("color");
	}

	@Test
	void everyProblemIsReportedTogether() {
		assertThat(errors("scalars", """
				{"count": "1", "boxed": null, "amount": 1, "ratio": 1, "flag": 0, "color": 2, "extra": 1}"""))
			.containsExactly(new FieldError("extra", "is not a parameter of this method"),
					new FieldError("count", "must be an integer"), new FieldError("boxed", "must not be null"),
					new FieldError("flag", "must be true or false"), new FieldError("text", "is required"),
					new FieldError("color", "must be one of [RED, GREEN]"));
	}

	@Test
	void exceptionMessageNamesTheOnlyProblemOrCountsThem() {
		assertThatExceptionOfType(InvalidParamsException.class)
			.isThrownBy(() -> this.binder.bind(method("add"), json("""
					{"a": 1}"""), CallContext.anonymous("test")))
			.withMessage("Invalid params: 'b' is required.");
		assertThatExceptionOfType(InvalidParamsException.class)
			.isThrownBy(() -> this.binder.bind(method("add"), json("{}"), CallContext.anonymous("test")))
			.withMessage("Invalid params: 2 problems; see details.");
	}

	@Test
	void validatorAcceptsValidArguments() {
		ParamValidator validator = validator();
		RegisteredMethod register = method("register");
		Object[] atTheBounds = bind("register", """
				{"person": {"name": "%s", "age": 0}, "tags": ["a", "b"]}""".formatted("n".repeat(20)));

		assertThatNoException().isThrownBy(() -> validator.validate(register, atTheBounds));
	}

	@Test
	void validatorReportsViolationsWithFieldPaths() {
		ParamValidator validator = validator();
		RegisteredMethod register = method("register");
		Object[] args = bind("register", """
				{"person": {"name": " ", "age": -1}, "tags": ["a", ""]}""");

		assertThatExceptionOfType(InvalidParamsException.class).isThrownBy(() -> validator.validate(register, args))
			.satisfies((ex) -> assertThat(ex.errors()).containsExactly(new FieldError("person.age", "too young"),
					new FieldError("person.name", "blank name"), new FieldError("tags[1]", "blank tag")));
	}

	@Test
	void validatorReportsAConstrainedParamByItsName() {
		ParamValidator validator = validator();
		RegisteredMethod repeat = method("repeat");

		assertThatExceptionOfType(InvalidParamsException.class)
			.isThrownBy(() -> validator.validate(repeat, bind("repeat", """
					{"text": "abc", "times": 0}""")))
			.satisfies((ex) -> assertThat(ex.errors()).containsExactly(new FieldError("times", "at least once")));
		assertThatExceptionOfType(InvalidParamsException.class)
			.isThrownBy(() -> validator.validate(repeat, bind("repeat", """
					{"text": "abcdef", "times": 0}""")))
			.satisfies((ex) -> assertThat(ex.errors()).containsExactly(new FieldError("text", "too long"),
					new FieldError("times", "at least once")));
	}

	@Test
	void validatorIgnoresUnconstrainedMethods() {
		List<String> validated = new ArrayList<>();
		ParamValidator validator = new ParamValidator(recording(validatorFactory.getValidator(), validated), registry);

		validator.validate(method("add"), new Object[] { 1, 2 });
		validator.validate(method("repeat"), new Object[] { "abc", 1 });

		assertThat(validated).containsExactly("repeat");
	}

	private Object[] bind(String name, String params) {
		return this.binder.bind(method(name), json(params), CallContext.anonymous("test"));
	}

	private List<FieldError> errors(String name, String params) {
		RegisteredMethod method = method(name);
		JsonNode node = json(params);
		try {
			Object[] args = this.binder.bind(method, node, CallContext.anonymous("test"));
			throw new AssertionError(
					"Expected '" + params + "' not to bind to " + name + " but got " + java.util.Arrays.toString(args));
		}
		catch (InvalidParamsException ex) {
			return ex.errors();
		}
	}

	private static ParamValidator validator() {
		return new ParamValidator(validatorFactory.getValidator(), registry);
	}

	/**
	 * A validator that notes the name of each method whose parameters it validates.
	 */
	private static Validator recording(Validator validator, List<String> validated) {
		ExecutableValidator executables = validator.forExecutables();
		ExecutableValidator recordingExecutables = (ExecutableValidator) Proxy.newProxyInstance(
				ParamBinderTests.class.getClassLoader(), new Class<?>[] { ExecutableValidator.class },
				(proxy, method, args) -> {
					if (method.getName().equals("validateParameters")) {
						validated.add(((Method) args[1]).getName());
					}
					return method.invoke(executables, args);
				});
		return (Validator) Proxy.newProxyInstance(ParamBinderTests.class.getClassLoader(),
				new Class<?>[] { Validator.class }, (proxy, method, args) -> method.getName().equals("forExecutables")
						? recordingExecutables : method.invoke(validator, args));
	}

	private static RegisteredMethod method(String name) {
		return registry.find(name).orElseThrow();
	}

	private static JsonNode json(String text) {
		return json.readTree(text);
	}

	private static MethodRegistry scan() {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			context.registerBean("sample", Sample.class, Sample::new);
			context.refresh();
			return MethodRegistry.scan(context, json, "t", "1");
		}
	}

	enum Color {

		RED, GREEN

	}

	record Person(@NotBlank(message = "blank name") @Size(max = 20, message = "long name") String name,
			@Min(value = 0, message = "too young") int age) {
	}

	static class Sample {

		@RpcMethod
		public int add(int a, int b) {
			return a + b;
		}

		@RpcMethod
		public String scalars(long count, Integer boxed, BigDecimal amount, double ratio, boolean flag, String text,
				Color color) {
			return text;
		}

		@RpcMethod
		public long count(long count) {
			return count;
		}

		@RpcMethod
		public Integer boxed(Integer boxed) {
			return boxed;
		}

		@RpcMethod
		public BigDecimal decimal(BigDecimal amount) {
			return amount;
		}

		@RpcMethod
		public double ratio(double ratio) {
			return ratio;
		}

		@RpcMethod
		public boolean flag(boolean flag) {
			return flag;
		}

		@RpcMethod
		public String text(String text) {
			return text;
		}

		@RpcMethod
		public Color color(Color color) {
			return color;
		}

		@RpcMethod
		public int collections(List<String> tags, Map<String, Integer> scores) {
			return tags.size() + scores.size();
		}

		@RpcMethod
		public String register(@Valid Person person, List<@NotBlank(message = "blank tag") String> tags) {
			return person.name();
		}

		@RpcMethod
		public String greet(String name, Optional<String> greeting, @Nullable Integer times) {
			return name;
		}

		@RpcMethod
		public String repeat(@Size(max = 5, message = "too long") String text,
				@Min(value = 1, message = "at least once") int times) {
			return text.repeat(times);
		}

	}

}
