package io.wsrpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library jar, {@code target/wsrpc-lib.jar}, installed as
 * {@code io.wsrpc:wsrpc:<version>:lib}: the server and its auto-configuration, and none
 * of this project's own application, whose settings, pages or demo methods would land in
 * every application that depends on it. Runs in the {@code integration-test} phase
 * (maven-failsafe-plugin), after {@code package} has built the jar.
 */
class LibraryJarTests {

	private static final String IMPORTS = "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports";

	@Test
	void everyAutoConfigurationItListsIsInIt() throws IOException {
		try (JarFile jar = jar()) {
			List<String> classes = imports(jar);
			assertThat(classes).isNotEmpty();
			assertThat(classes)
				.allSatisfy((name) -> assertThat(jar.getEntry(name.replace('.', '/') + ".class")).as(name).isNotNull());
		}
	}

	@Test
	void itHoldsNoneOfThisProjectsOwnApplication() throws IOException {
		try (JarFile jar = jar()) {
			List<String> entries = jar.stream().map(ZipEntry::getName).toList();
			assertThat(entries).contains("io/wsrpc/api/RpcMethod.class", "io/wsrpc/client/RpcClient.class",
					"META-INF/spring-configuration-metadata.json");
			assertThat(entries).doesNotContain("application.properties", "git.properties",
					"META-INF/build-info.properties", "io/wsrpc/WsrpcApplication.class");
			assertThat(entries).noneMatch((entry) -> entry.startsWith("static/") || entry.startsWith("BOOT-INF/")
					|| entry.startsWith("io/wsrpc/demo/") || entry.startsWith("io/wsrpc/cli/")
					|| entry.startsWith("io/wsrpc/baseline/"));
		}
	}

	private static JarFile jar() throws IOException {
		Path jar = Path.of(System.getProperty("wsrpc.lib.jar", "target/wsrpc-lib.jar"));
		assertThat(jar).as("the library jar, built by package").isRegularFile();
		return new JarFile(jar.toFile());
	}

	private static List<String> imports(JarFile jar) throws IOException {
		ZipEntry entry = jar.getEntry(IMPORTS);
		assertThat(entry).as(IMPORTS).isNotNull();
		try (InputStream in = jar.getInputStream(entry)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
				.map(String::strip)
				.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
				.toList();
		}
	}

}
