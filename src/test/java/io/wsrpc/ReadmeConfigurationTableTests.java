package io.wsrpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the configuration table of {@code docs/configuration.md} true: one row per
 * property of {@link WsrpcProperties}, each with the default the code has, as the
 * configuration processor recorded it.
 */
class ReadmeConfigurationTableTests {

	private static final Pattern ROW = Pattern.compile("^\\| `(wsrpc\\.[a-z0-9.-]+)` \\| `([^`]*)` \\|.+\\|$");

	@Test
	void everyPropertyIsDocumentedWithItsDefault() throws IOException {
		assertThat(documented()).isEqualTo(declared());
	}

	private static Map<String, String> documented() throws IOException {
		Map<String, String> rows = new LinkedHashMap<>();
		for (String line : Files.readAllLines(Path.of("docs/configuration.md"))) {
			Matcher row = ROW.matcher(line);
			if (row.matches()) {
				rows.put(row.group(1), row.group(2));
			}
		}
		return rows;
	}

	private static Map<String, String> declared() throws IOException {
		JsonNode metadata;
		try (InputStream in = ReadmeConfigurationTableTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("configuration metadata from spring-boot-configuration-processor").isNotNull();
			metadata = JsonMapper.builder().build().readTree(in);
		}
		Map<String, String> properties = new LinkedHashMap<>();
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").asString();
			if (name.startsWith("wsrpc.")) {
				JsonNode defaultValue = property.get("defaultValue");
				properties.put(name, (defaultValue != null) ? defaultValue.asString() : "(none)");
			}
		}
		assertThat(properties).isNotEmpty();
		return properties;
	}

}
