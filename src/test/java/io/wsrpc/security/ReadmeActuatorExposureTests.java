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

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README true to the actuator endpoints that {@code application.properties}
 * exposes.
 */
class ReadmeActuatorExposureTests {

	private static final String EXPOSURE = "management.endpoints.web.exposure.include";

	private static final List<String> PUBLIC = List.of("health", "info");

	@Test
	void readmeQuotesTheExposureSettingAsApplicationPropertiesHasIt() throws IOException {
		Matcher quoted = Pattern.compile(Pattern.quote(EXPOSURE) + "=([^`\\s]*)").matcher(readme());
		int quotes = 0;
		while (quoted.find()) {
			assertThat(quoted.group(1)).as("README's %s", EXPOSURE).isEqualTo(exposed());
			quotes++;
		}
		assertThat(quotes).as("quotes of %s in the README", EXPOSURE).isPositive();
	}

	@Test
	void actuatorExposureSectionNamesEveryEndpointBeyondHealthAndInfo() throws IOException {
		String readme = readme();
		int start = readme.indexOf("### Actuator exposure");
		assertThat(start).as("the README's Actuator exposure section").isNotNegative();
		String section = readme.substring(start, readme.indexOf("\n#", start + 1));
		List<String> guarded = Arrays.stream(exposed().split(",")).filter((id) -> !PUBLIC.contains(id)).toList();
		assertThat(guarded).isNotEmpty().allSatisfy((id) -> assertThat(section).contains("`" + id + "`"));
	}

	private static String readme() throws IOException {
		return Files.readString(Path.of("README.md"));
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
