package io.wsrpc;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The repository's {@code nginx.conf} run by the real {@code nginx} binary in front of
 * two wsrpc instances, as {@code docker compose up} runs it: only the upstream addresses
 * and the listening port are replaced, and nginx keeps its pid, logs and temporary files
 * in a directory of its own. Skipped with a message where nginx is not installed, unless
 * {@code WSRPC_REQUIRE_NGINX} is set, as CI does after installing it.
 */
class NginxProxyIntegrationTests {

	private static final String NGINX = "/usr/sbin/nginx";

	private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private static Path prefix;

	private static Process nginx;

	private static int port;

	@BeforeAll
	static void startTwoInstancesBehindNginx() throws Exception {
		boolean installed = new File(NGINX).canExecute();
		if (!installed && System.getenv("WSRPC_REQUIRE_NGINX") != null) {
			throw new IllegalStateException(NGINX + " is missing; .ci/run installs it with apt-get");
		}
		Assumptions.assumeTrue(installed, "Skipped: no " + NGINX + " on this machine (apt-get install nginx)");
		for (int i = 0; i < 2; i++) {
			instances.add(new SpringApplicationBuilder(WsrpcApplication.class)
				.properties("server.port=0", "wsrpc.shutdown-timeout=100ms")
				.run());
		}
		prefix = Files.createTempDirectory("nginx");
		port = freePort();
		String site = Files.readString(Path.of("nginx.conf"))
			.replace("server wsrpc-a:8080;", "server 127.0.0.1:" + port(instances.get(0)) + ";")
			.replace("server wsrpc-b:8080;", "server 127.0.0.1:" + port(instances.get(1)) + ";")
			.replace("listen 80;", "listen 127.0.0.1:" + port + ";");
		assertThat(site).as("nginx.conf with its upstreams and port replaced")
			.doesNotContain("wsrpc-a", "wsrpc-b", "listen 80;");
		Files.writeString(prefix.resolve("site.conf"), site);
		// what /etc/nginx/nginx.conf gives the official image's conf.d files, with every
		// path under the prefix; one worker, so that connections alternate between the
		// two instances
		Files.writeString(prefix.resolve("nginx.conf"), """
				worker_processes 1;
				pid %1$s/nginx.pid;
				error_log %1$s/error.log;
				events {
				}
				http {
				    access_log %1$s/access.log;
				    client_body_temp_path %1$s/client_body;
				    proxy_temp_path %1$s/proxy;
				    fastcgi_temp_path %1$s/fastcgi;
				    uwsgi_temp_path %1$s/uwsgi;
				    scgi_temp_path %1$s/scgi;
				    include %1$s/site.conf;
				}
				""".formatted(prefix));
		nginx = new ProcessBuilder(NGINX, "-p", prefix.toString(), "-e", prefix.resolve("error.log").toString(), "-c",
				prefix.resolve("nginx.conf").toString(), "-g", "daemon off;")
			.redirectErrorStream(true)
			.redirectOutput(prefix.resolve("stdout.log").toFile())
			.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			assertThat(nginx.isAlive()).as("nginx is running; %s", log()).isTrue();
			try (Socket socket = new Socket("127.0.0.1", port)) {
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		});
	}

	@AfterAll
	static void stop() throws Exception {
		if (nginx != null) {
			nginx.destroy();
			nginx.waitFor(10, TimeUnit.SECONDS);
		}
		instances.forEach(ConfigurableApplicationContext::close);
		if (prefix != null) {
			try (Stream<Path> files = Files.walk(prefix)) {
				files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
			}
		}
	}

	@Test
	void browserFromTheProxysOwnOriginConnectsThroughNginxToEachInstance() {
		String origin = "http://127.0.0.1:" + port;
		URI uri = URI.create("ws://127.0.0.1:" + port + "/ws");
		double[] opened = instances.stream().mapToDouble(NginxProxyIntegrationTests::opened).toArray();
		try (TestClient first = TestClient.connect(uri, Map.of("Origin", origin));
				TestClient second = TestClient.connect(uri, Map.of("Origin", origin))) {
			for (TestClient client : List.of(first, second)) {
				assertThat(client.call("""
						{"request_id": 1, "action": "add_numbers", "params": {"a": 5, "b": 10}}""")).isEqualTo(json("""
						{"request_id": 1, "status": "ok", "result": 15}"""));
			}
		}
		for (int i = 0; i < instances.size(); i++) {
			assertThat(opened(instances.get(i)) - opened[i]).as("connections opened on instance %d", i).isEqualTo(1);
		}
	}

	@Test
	void consolePageIsServedThroughNginx() throws Exception {
		HttpResponse<String> page = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("<title>");
	}

	private static double opened(ConfigurableApplicationContext instance) {
		return instance.getBean(MeterRegistry.class)
			.find("rpc.server.connections.opened")
			.tag("protocol", "ws")
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static String log() throws IOException {
		Path stdout = prefix.resolve("stdout.log");
		Path errors = prefix.resolve("error.log");
		return (Files.exists(stdout) ? Files.readString(stdout) : "")
				+ (Files.exists(errors) ? Files.readString(errors) : "");
	}

}
