package io.wsrpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks what can be checked of the packaging without a Docker engine: that
 * {@code docker-compose.yml} and {@code prometheus.yml} parse, agree with each other and
 * with the {@code Dockerfile}, and name only files that exist. Building and running the
 * image is left to a machine with Docker.
 */
class PackagingTests {

	/** Boot's default layers, in the order {@code list-layers} prints them. */
	private static final List<String> LAYERS = List.of("dependencies", "spring-boot-loader", "snapshot-dependencies",
			"application");

	private static final String READINESS_PATH = "/actuator/health/readiness";

	private static final List<String> INSTANCES = List.of("wsrpc-a", "wsrpc-b");

	@Test
	void composeRunsTwoInstancesFromTheDockerfileBehindNginxWithRedisAndPrometheus() throws IOException {
		Map<String, Object> services = map(compose(), "services");
		assertThat(services).containsOnlyKeys("wsrpc-a", "wsrpc-b", "redis", "nginx", "prometheus", "grafana");
		for (String instance : INSTANCES) {
			Map<String, Object> build = map(map(services, instance), "build");
			Path context = Path.of((String) build.get("context"));
			assertThat(context).isDirectory();
			assertThat(context.resolve((String) build.get("dockerfile"))).isRegularFile();
			assertThat(map(map(services, instance), "environment")).containsEntry("WSRPC_BROKER", "redis")
				.containsEntry("SPRING_DATA_REDIS_HOST", "redis");
		}
		assertThat((String) map(services, "redis").get("image")).startsWith("redis:");
		assertThat((String) map(services, "prometheus").get("image")).startsWith("prom/prometheus:");
	}

	@Test
	void everyFileComposeMountsExists() throws IOException {
		List<String> sources = new ArrayList<>();
		for (Object service : map(compose(), "services").values()) {
			List<String> volumes = list(asMap(service), "volumes");
			volumes.forEach((volume) -> sources.add(volume.substring(0, volume.indexOf(':'))));
		}
		assertThat(sources).containsExactlyInAnyOrder("./nginx.conf", "./prometheus.yml", "./grafana/provisioning",
				"./grafana/dashboards");
		assertThat(sources).allSatisfy((source) -> assertThat(Path.of(source)).exists());
	}

	@Test
	void grafanaLoadsTheDashboardFromItsMountWithTheComposePrometheusAsDatasource() throws IOException {
		Map<String, Object> grafana = map(map(compose(), "services"), "grafana");
		Map<String, String> mounts = new HashMap<>();
		for (String volume : PackagingTests.<String>list(grafana, "volumes")) {
			String[] parts = volume.split(":");
			mounts.put(parts[0], parts[1]);
		}
		assertThat(mounts).containsEntry("./grafana/provisioning", "/etc/grafana/provisioning");
		String dashboards = mounts.get("./grafana/dashboards");
		List<Map<String, Object>> providers = list(yaml(Path.of("grafana/provisioning/dashboards/wsrpc.yml")),
				"providers");
		assertThat(providers).singleElement()
			.satisfies((provider) -> assertThat(map(provider, "options")).containsEntry("path", dashboards));
		String home = (String) map(grafana, "environment").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
		assertThat(home).startsWith(dashboards + "/");
		assertThat(Path.of("grafana/dashboards", home.substring(dashboards.length() + 1))).isRegularFile();

		List<Map<String, Object>> datasources = list(yaml(Path.of("grafana/provisioning/datasources/prometheus.yml")),
				"datasources");
		assertThat(list(map(map(compose(), "services"), "prometheus"), "ports")).containsExactly("9090:9090");
		assertThat(datasources).singleElement().satisfies((datasource) -> {
			assertThat(datasource).containsEntry("type", "prometheus").containsEntry("url", "http://prometheus:9090");
			JsonNode dashboard = JsonMapper.builder()
				.build()
				.readTree(Files.readString(Path.of("grafana/dashboards/wsrpc.json")));
			assertThat(dashboard.get("panels").valueStream()).isNotEmpty().allSatisfy((panel) -> {
				assertThat(panel.at("/datasource/uid").asString()).isEqualTo(datasource.get("uid"));
				assertThat(panel.get("targets").valueStream()).isNotEmpty()
					.allSatisfy((target) -> assertThat(target.at("/datasource/uid").asString())
						.isEqualTo(datasource.get("uid")));
			});
		});
	}

	@Test
	void composeTurnsOnStructuredJsonLogs() throws IOException {
		for (String instance : INSTANCES) {
			Map<String, Object> environment = map(map(map(compose(), "services"), instance), "environment");
			assertThat(environment).containsKey("LOGGING_STRUCTURED_FORMAT_CONSOLE");
			assertThat((String) environment.get("LOGGING_STRUCTURED_FORMAT_CONSOLE")).isIn("ecs", "logstash", "gelf");
		}
		// the variable's property, as Boot binds it from the environment
		assertThat(bootProperty("logging.structured.format.console")).isTrue();
	}

	@Test
	void nginxPassesTheWebSocketUpgradeToBothInstances() throws IOException {
		assertThat(list(map(map(compose(), "services"), "nginx"), "ports")).containsExactly("8080:80");
		String nginx = Files.readString(Path.of("nginx.conf"));
		assertThat(nginx).contains("server wsrpc-a:8080;", "server wsrpc-b:8080;", "proxy_http_version 1.1;",
				"proxy_set_header Upgrade $http_upgrade;", "proxy_set_header Connection $connection_upgrade;",
				"proxy_read_timeout 1h;");
	}

	@Test
	void prometheusScrapesBothInstancesOnTheirManagementPort() throws IOException {
		Map<String, Object> services = map(compose(), "services");
		Map<String, Object> prometheus = yaml(Path.of("prometheus.yml"));
		List<Map<String, Object>> jobs = list(prometheus, "scrape_configs");
		List<String> expected = INSTANCES.stream()
			.map((instance) -> instance + ":"
					+ map(map(services, instance), "environment").get("MANAGEMENT_SERVER_PORT"))
			.toList();
		assertThat(jobs).singleElement().satisfies((job) -> {
			assertThat(job).containsEntry("metrics_path", "/actuator/prometheus");
			List<Map<String, Object>> staticConfigs = list(job, "static_configs");
			assertThat(staticConfigs).singleElement()
				.satisfies((targets) -> assertThat(list(targets, "targets")).containsExactlyElementsOf(expected));
		});
		for (String instance : INSTANCES) {
			assertThat(map(services, instance)).doesNotContainKey("ports");
		}
	}

	@Test
	void healthcheckAsksForReadinessOnTheManagementPort() throws IOException {
		for (String instance : INSTANCES) {
			Map<String, Object> wsrpc = map(map(compose(), "services"), instance);
			String managementPort = (String) map(wsrpc, "environment").get("MANAGEMENT_SERVER_PORT");
			List<String> test = list(map(wsrpc, "healthcheck"), "test");
			assertThat(test).startsWith("CMD", "curl", "--fail")
				.endsWith("http://127.0.0.1:" + managementPort + READINESS_PATH);
		}
		assertThat(bootDefault("management.endpoint.health.probes.enabled"))
			.as("Boot's default for the liveness and readiness groups")
			.isEqualTo("true");
		Properties application = new Properties();
		try (Reader reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
			application.load(reader);
		}
		assertThat(application.getProperty("management.endpoint.health.probes.enabled", "true")).isEqualTo("true");
		assertThat(application).doesNotContainKey("management.endpoints.web.base-path");
	}

	@Test
	void dockerfileBuildsWithTheWrapperAndRunsTheLayersAsAnUnprivilegedUser() throws IOException {
		List<List<String>> stages = stages(dockerfile());
		assertThat(stages).hasSize(2);
		List<String> build = stages.get(0);
		List<String> run = stages.get(1);
		assertThat(build.get(0)).matches("FROM eclipse-temurin:(17|21)-jdk AS build");
		assertThat(build).contains("RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -DskipTests package",
				"RUN java -Djarmode=tools -jar target/wsrpc.jar extract --layers --destination target/extracted");
		assertThat(Files.readString(Path.of("pom.xml"))).contains("<finalName>wsrpc</finalName>");

		assertThat(run.get(0)).isEqualTo("FROM eclipse-temurin:21-jre");
		List<String> copied = run.stream()
			.filter((line) -> line.startsWith("COPY --from=build "))
			.map((line) -> line.split(" ")[2])
			.toList();
		assertThat(copied)
			.isEqualTo(LAYERS.stream().map((layer) -> "/workspace/target/extracted/" + layer + "/").toList());
		assertThat(instructions(run, "USER")).singleElement().satisfies((user) -> {
			assertThat(user).doesNotStartWith("root").doesNotStartWith("0:").isNotEqualTo("0");
			assertThat(run)
				.anyMatch((line) -> line.contains("useradd") && line.contains("--uid " + user.split(":")[0]));
		});
		assertThat(instructions(run, "EXPOSE")).containsExactly("8080");
		assertThat(Files.readString(Path.of("nginx.conf"))).contains("wsrpc-a:8080", "wsrpc-b:8080");
		// the class data sharing archive is made as root by a training run, and used by
		// every
		// start (ClassDataSharingProcessTests runs the same steps)
		int training = run.indexOf(run.stream()
			.filter((line) -> line.startsWith(
					"RUN java -XX:ArchiveClassesAtExit=wsrpc.jsa -Dspring.context.exit=onRefresh -jar wsrpc.jar"))
			.findFirst()
			.orElseThrow());
		assertThat(training).isLessThan(run.indexOf("USER " + instructions(run, "USER").get(0)));
		assertThat(instructions(run, "ENTRYPOINT")).singleElement()
			.satisfies((entrypoint) -> assertThat(entrypoint)
				.startsWith("[\"java\", \"-XX:SharedArchiveFile=wsrpc.jsa\", ")
				.contains(
						"\"-XX:G1PeriodicGCInterval=10000\", \"-XX:MaxHeapFreeRatio=20\", \"-XX:MinHeapFreeRatio=10\"")
				.endsWith(", \"-jar\", \"wsrpc.jar\"]"));
	}

	@Test
	void dockerignoreLetsInExactlyWhatTheBuildStageCopies() throws IOException {
		List<String> patterns = Files.readAllLines(Path.of(".dockerignore"))
			.stream()
			.map(String::strip)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.toList();
		List<String> copied = new ArrayList<>();
		for (String copy : instructions(stages(dockerfile()).get(0), "COPY")) {
			List<String> sources = List.of(copy.split(" "));
			sources.subList(0, sources.size() - 1).forEach((source) -> copied.add("!" + source.replaceAll("/$", "")));
		}
		assertThat(patterns.get(0)).isEqualTo("*");
		assertThat(patterns.subList(1, patterns.size())).containsExactlyInAnyOrderElementsOf(copied);
	}

	private static Map<String, Object> compose() throws IOException {
		return yaml(Path.of("docker-compose.yml"));
	}

	private static Map<String, Object> yaml(Path path) throws IOException {
		try (Reader reader = Files.newBufferedReader(path)) {
			return new Yaml().load(reader);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> asMap(Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	private static Map<String, Object> map(Map<String, Object> parent, String key) {
		assertThat(parent).containsKey(key);
		return asMap(parent.get(key));
	}

	@SuppressWarnings("unchecked")
	private static <T> List<T> list(Map<String, Object> parent, String key) {
		Object value = parent.getOrDefault(key, Collections.emptyList());
		assertThat(value).as(key).isInstanceOf(List.class);
		return (List<T>) value;
	}

	/** The Dockerfile's instructions, one a line, without comments or continuations. */
	private static List<String> dockerfile() throws IOException {
		List<String> instructions = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		for (String line : Files.readAllLines(Path.of("Dockerfile"))) {
			String stripped = line.strip();
			if (stripped.isEmpty() || stripped.startsWith("#")) {
				continue;
			}
			boolean continued = stripped.endsWith("\\");
			current.append(continued ? stripped.substring(0, stripped.length() - 1).strip() + " " : stripped);
			if (!continued) {
				instructions.add(current.toString());
				current.setLength(0);
			}
		}
		return instructions;
	}

	private static List<List<String>> stages(List<String> instructions) {
		List<List<String>> stages = new ArrayList<>();
		for (String instruction : instructions) {
			if (instruction.startsWith("FROM ")) {
				stages.add(new ArrayList<>());
			}
			assertThat(stages).as("an instruction before the first FROM").isNotEmpty();
			stages.get(stages.size() - 1).add(instruction);
		}
		return stages;
	}

	private static List<String> instructions(List<String> stage, String keyword) {
		return stage.stream()
			.filter((instruction) -> instruction.startsWith(keyword + " "))
			.map((instruction) -> instruction.substring(keyword.length() + 1))
			.toList();
	}

	private static boolean bootProperty(String property) throws IOException {
		try {
			bootDefault(property);
			return true;
		}
		catch (AssertionError ex) {
			return false;
		}
	}

	private static String bootDefault(String property) throws IOException {
		JsonMapper mapper = JsonMapper.builder().build();
		for (URL url : Collections
			.list(PackagingTests.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				for (JsonNode candidate : mapper.readTree(in).path("properties")) {
					if (candidate.path("name").asString().equals(property)) {
						return candidate.path("defaultValue").asString();
					}
				}
			}
		}
		throw new AssertionError(property + " is in no configuration metadata on the classpath");
	}

}
