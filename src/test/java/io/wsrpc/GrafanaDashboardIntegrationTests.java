package io.wsrpc;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.wsrpc.support.RedisServer;
import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard asks only for metrics and labels that a server run as
 * {@code docker-compose.yml} runs it really exposes: a server with the compose file's
 * environment and the Redis broker takes calls, events and a refused handshake, and its
 * {@code /actuator/prometheus} is checked against every query of the dashboard. A meter
 * or tag renamed in the server, or a setting dropped from the compose file, fails here.
 */
class GrafanaDashboardIntegrationTests {

	private static final Path DASHBOARD = Path.of("grafana/dashboards/wsrpc.json");

	/** Labels that Prometheus adds to every series it scrapes. */
	private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

	private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "group_left",
			"group_right");

	private static final Pattern GROUPING = Pattern
		.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");

	private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*\\})?");

	private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");

	@Test
	void everyDashboardQueryAsksForMetricsAndLabelsTheServerExposes() throws Exception {
		Map<String, Set<String>> exposed;
		try (RedisServer redis = RedisServer.start(); ConfigurableApplicationContext server = start(redis.port())) {
			int port = ((WebServerApplicationContext) server).getWebServer().getPort();
			exerciseEveryMeter(port);
			exposed = samples(get(port, "/actuator/prometheus"));
		}
		List<String> queries = queries();
		assertThat(queries).hasSizeGreaterThanOrEqualTo(9);
		for (String query : queries) {
			Set<String> labels = new HashSet<>(TARGET_LABELS);
			String rest = query.replaceAll("\"[^\"]*\"", "\"\"").replaceAll("\\[[^]]*]", "");
			Set<String> grouped = new HashSet<>();
			Matcher grouping = GROUPING.matcher(rest);
			while (grouping.find()) {
				for (String label : grouping.group(1).split(",")) {
					grouped.add(label.strip());
				}
			}
			rest = GROUPING.matcher(rest).replaceAll(" ");
			Matcher selector = SELECTOR.matcher(rest);
			int metrics = 0;
			while (selector.find()) {
				String name = selector.group(1);
				boolean call = rest.substring(selector.end(1)).stripLeading().startsWith("(");
				if (call || KEYWORDS.contains(name)) {
					continue;
				}
				metrics++;
				assertThat(exposed).as("metric %s of the query %s", name, query).containsKey(name);
				labels.addAll(exposed.get(name));
				if (selector.group(2) != null) {
					Matcher matcher = MATCHER.matcher(selector.group(2));
					while (matcher.find()) {
						assertThat(exposed.get(name)).as("label %s of %s in %s", matcher.group(1), name, query)
							.contains(matcher.group(1));
					}
				}
			}
			assertThat(metrics).as("metrics in %s", query).isPositive();
			assertThat(labels).as("labels grouped by in %s", query).containsAll(grouped);
		}
	}

	/**
	 * A server with the environment {@code docker-compose.yml} gives each instance, read
	 * as environment variables are, with Redis, the server port and the management port
	 * moved to this machine, and the console logs left as they are for the test run.
	 */
	private static ConfigurableApplicationContext start(int redisPort) throws IOException {
		Map<String, Object> environment = new LinkedHashMap<>(composeEnvironment());
		environment.remove("MANAGEMENT_SERVER_PORT");
		environment.remove("LOGGING_STRUCTURED_FORMAT_CONSOLE");
		environment.put("SPRING_DATA_REDIS_HOST", "127.0.0.1");
		environment.put("SPRING_DATA_REDIS_PORT", Integer.toString(redisPort));
		environment.put("SERVER_PORT", "0");
		environment.put("WSRPC_SHUTDOWN_TIMEOUT", "100ms");
		StandardEnvironment spring = new StandardEnvironment();
		spring.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(
					"compose-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
		return new SpringApplicationBuilder(WsrpcApplication.class).environment(spring).run();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> composeEnvironment() throws IOException {
		try (Reader reader = Files.newBufferedReader(Path.of("docker-compose.yml"))) {
			Map<String, Object> compose = new Yaml().load(reader);
			Map<String, Object> instance = (Map<String, Object>) ((Map<String, Object>) compose.get("services"))
				.get("wsrpc-a");
			Map<String, Object> environment = (Map<String, Object>) instance.get("environment");
			assertThat(environment).containsEntry("WSRPC_BROKER", "redis");
			return environment;
		}
	}

	/** Calls that succeed and fail, an event through the broker, a refused handshake. */
	private static void exerciseEveryMeter(int port) {
		try (TestClient client = TestClient.connect(port, "/ws")) {
			client.call("""
					{"request_id": 1, "action": "add_numbers", "params": {"a": 5, "b": 10}}""");
			client.call("""
					{"request_id": 2, "action": "no_such_method"}""");
			client.call("""
					{"request_id": 3, "action": "subscribe", "params": {"topic": "news"}}""");
			client.call("""
					{"request_id": 4, "action": "publish", "params": {"topic": "news", "data": 1}}""");
		}
		TestClient.refusedStatus(URI.create("ws://localhost:" + port + "/ws"),
				Map.of("Origin", "https://evil.example.com"));
	}

	/** Every sample's metric name, with the label names it is seen with. */
	private static Map<String, Set<String>> samples(String exposition) {
		Map<String, Set<String>> samples = new HashMap<>();
		for (String line : exposition.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			int brace = line.indexOf('{');
			int space = line.indexOf(' ');
			String name = line.substring(0, (brace >= 0 && brace < space) ? brace : space);
			Set<String> labels = samples.computeIfAbsent(name, (key) -> new HashSet<>());
			if (brace >= 0 && brace < space) {
				Matcher matcher = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"").matcher(line.substring(brace));
				while (matcher.find()) {
					labels.add(matcher.group(1));
				}
			}
		}
		return samples;
	}

	private static List<String> queries() throws IOException {
		JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
		return dashboard.get("panels")
			.valueStream()
			.flatMap((panel) -> panel.get("targets").valueStream())
			.map((target) -> target.get("expr").asString())
			.toList();
	}

	private static String get(int port, String path) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return response.body();
	}

}
