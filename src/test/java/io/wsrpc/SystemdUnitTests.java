package io.wsrpc;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/wsrpc.service}, the unit that runs the fat jar under systemd: checked by
 * {@code systemd-analyze verify} where that is installed, and for what the server needs
 * of it: its own user, the drain's exit status counted as success, a restart after a
 * failure, and descriptors for tens of thousands of connections.
 */
class SystemdUnitTests {

	private static final Path UNIT = Path.of("deploy/wsrpc.service");

	private static final String SYSTEMD_ANALYZE = "/usr/bin/systemd-analyze";

	private static final String JAVA = "/usr/bin/java";

	@Test
	void unitPassesSystemdAnalyzeVerifyWithoutAWarning(@TempDir Path directory) throws Exception {
		Assumptions.assumeTrue(new File(SYSTEMD_ANALYZE).canExecute(),
				"Skipped: no " + SYSTEMD_ANALYZE + " on this machine (apt-get install systemd)");
		String unit = Files.readString(UNIT);
		if (!new File(JAVA).canExecute()) {
			// verify checks that the command exists; this machine's java is elsewhere
			unit = unit.replace("ExecStart=" + JAVA + " ",
					"ExecStart=" + ProcessHandle.current().info().command().orElseThrow() + " ");
		}
		Path copy = directory.resolve("wsrpc.service");
		Files.writeString(copy, unit);
		Process verify = new ProcessBuilder(SYSTEMD_ANALYZE, "verify", copy.toString()).redirectErrorStream(true)
			.start();
		String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(output).as("what systemd-analyze verify says of the unit").isEmpty();
		assertThat(verify.exitValue()).isZero();
	}

	@Test
	void unitRunsTheJarAsItsOwnUserCountsTheDrainAsSuccessAndRestartsAfterAFailure() throws IOException {
		Map<String, List<String>> service = section("Service");
		assertThat(service.get("User")).singleElement().isEqualTo("wsrpc");
		assertThat(service.get("ExecStart")).singleElement()
			.satisfies((command) -> assertThat(command).startsWith(JAVA + " ")
				.contains(" -XX:G1PeriodicGCInterval=10000 -XX:MaxHeapFreeRatio=20 -XX:MinHeapFreeRatio=10 ")
				.endsWith(" -jar /opt/wsrpc/wsrpc.jar"));
		assertThat(service.get("SuccessExitStatus")).singleElement()
			.satisfies((statuses) -> assertThat(statuses.split(" ")).contains("143"));
		assertThat(service.get("Restart")).containsExactly("on-failure");
		assertThat(service.get("LimitNOFILE")).singleElement()
			.satisfies((limit) -> assertThat(Integer.parseInt(limit)).isGreaterThanOrEqualTo(20_000));
		// longer than the drain, wsrpc.shutdown-timeout's default of 30 s
		assertThat(service.get("TimeoutStopSec")).singleElement()
			.satisfies((timeout) -> assertThat(Integer.parseInt(timeout)).isGreaterThan(30));
		assertThat(service.get("NoNewPrivileges")).containsExactly("yes");
		assertThat(service.get("ProtectSystem")).containsExactly("strict");
		assertThat(service).as("the JIT compiler needs memory it can write and run")
			.doesNotContainKey("MemoryDenyWriteExecute");
		assertThat(section("Install").get("WantedBy")).containsExactly("multi-user.target");
	}

	/** The settings of one section of the unit, each key with its values in order. */
	private static Map<String, List<String>> section(String name) throws IOException {
		Map<String, List<String>> settings = new HashMap<>();
		String current = null;
		for (String line : Files.readAllLines(UNIT)) {
			String stripped = line.strip();
			if (stripped.isEmpty() || stripped.startsWith("#")) {
				continue;
			}
			if (stripped.startsWith("[")) {
				current = stripped.substring(1, stripped.length() - 1);
			}
			else if (name.equals(current)) {
				int equals = stripped.indexOf('=');
				settings.computeIfAbsent(stripped.substring(0, equals), (key) -> new ArrayList<>())
					.add(stripped.substring(equals + 1));
			}
		}
		return settings;
	}

}
