package io.wsrpc.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the documentation ({@code README.md} and {@code docs/}) true to the actuator
 * endpoints that {@code application.properties} exposes.
 */
class ReadmeActuatorExposureTests {

	private static final String EXPOSURE = "management.endpoints.web.exposure.include";

	private static final List<String> PUBLIC = List.of("health", "info");

	@Test
	void documentationQuotesTheExposureSettingAsApplicationPropertiesHasIt() throws IOException {
		Matcher quoted = Pattern.compile(Pattern.quote(EXPOSURE) + "=([^`\\s]*)").matcher(documentation());
		int quotes = 0;
		while (quoted.find()) {
			assertThat(quoted.group(1)).as("the documentation's %s", EXPOSURE).isEqualTo(exposed());
			quotes++;
		}
		assertThat(quotes).as("quotes of %s in the documentation", EXPOSURE).isPositive();
	}

	@Test
	void actuatorExposureSectionNamesEveryEndpointBeyondHealthAndInfo() throws IOException {
		String security = Files.readString(Path.of("docs/security.md"));
		int start = security.indexOf("## Actuator exposure");
		assertThat(start).as("the Actuator exposure section of docs/security.md").isNotNegative();
		String section = security.substring(start, security.indexOf("\n#", start + 1));
		List<String> guarded = Arrays.stream(exposed().split(",")).filter((id) -> !PUBLIC.contains(id)).toList();
		assertThat(guarded).isNotEmpty().allSatisfy((id) -> assertThat(section).contains("`" + id + "`"));
	}

	private static String documentation() throws IOException {
		StringBuilder documentation = new StringBuilder(Files.readString(Path.of("README.md")));
		try (Stream<Path> docs = Files.list(Path.of("docs"))) {
			for (Path doc : docs.filter((path) -> path.toString().endsWith(".md")).sorted().toList()) {
				documentation.append('\n').append(Files.readString(doc));
			}
		}
		return documentation.toString();
	}

	private static String exposed() throws IOException {
		Properties properties = new Properties();
		try (InputStream in = ReadmeActuatorExposureTests.class.getResourceAsStream("/application.properties")) {
			assertThat(in).as("application.properties").isNotNull();
			properties.load(in);
		}
		String exposed = properties.getProperty(EXPOSURE);
		assertThat(exposed).as(EXPOSURE).isNotBlank();
		return exposed;
	}

}
