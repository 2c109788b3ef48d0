package io.wsrpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code bench/README.md} true to the defaults of the scripts it describes.
 */
class BenchReadmeTests {

	@Test
	void benchReadmeStatesTheWarmUpThatTheScriptsUse() throws IOException {
		Matcher setting = Pattern.compile("(?m)^WARMUP=\\$\\{WARMUP:-(\\d+)s}")
			.matcher(Files.readString(Path.of("bench/lib.sh")));
		assertThat(setting.find()).as("WARMUP default in bench/lib.sh").isTrue();
		String seconds = setting.group(1);
		assertThat(Files.readString(Path.of("bench/README.md"))).contains("`WARMUP` (" + seconds + " s)")
			.contains("**Warm-up**: " + seconds + " s");
	}

}
