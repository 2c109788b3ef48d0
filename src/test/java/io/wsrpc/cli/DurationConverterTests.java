package io.wsrpc.cli;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DurationConverterTests {

	private final DurationConverter converter = new DurationConverter();

	@Test
	void bareNumberIsMilliseconds() {
		assertThat(this.converter.convert("500")).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void unitsAndIsoDurationsReadAsInSpringBootProperties() {
		assertThat(this.converter.convert("2500us")).isEqualTo(Duration.ofNanos(2_500_000));
		assertThat(this.converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
		assertThat(this.converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
		assertThat(this.converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
		assertThat(this.converter.convert("1h")).isEqualTo(Duration.ofHours(1));
		assertThat(this.converter.convert("1d")).isEqualTo(Duration.ofDays(1));
		assertThat(this.converter.convert("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
	}

	@ParameterizedTest
	@ValueSource(strings = { "ten seconds", "10x", "10 s", "" })
	void somethingElseIsRefusedWithExamples(String value) {
		assertThatExceptionOfType(TypeConversionException.class).isThrownBy(() -> this.converter.convert(value))
			.withMessage("'" + value + "' is not a duration such as 500ms, 10s or 2m (a bare number is milliseconds)");
	}

	@Test
	void negativeDurationIsRefused() {
		assertThatExceptionOfType(TypeConversionException.class).isThrownBy(() -> this.converter.convert("-5s"))
			.withMessage("'-5s' is negative; a duration must be 0 or more");
	}

}
