package io.wsrpc.cli;

import java.time.Duration;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import org.springframework.boot.convert.DurationStyle;

/**
 * Reads durations by Spring Boot's rules, as in {@code application.properties}:
 * {@code 250us}, {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, {@code 1d}, an
 * ISO-8601 duration such as {@code PT10S}, or a bare number of milliseconds.
 */
final class DurationConverter implements ITypeConverter<Duration> {

	@Override
	public Duration convert(String value) {
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(value.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new TypeConversionException(
					"'" + value + "' is not a duration such as 500ms, 10s or 2m (a bare number is milliseconds)");
		}
		if (duration.isNegative()) {
			throw new TypeConversionException("'" + value + "' is negative; a duration must be 0 or more");
		}
		return duration;
	}

}
