package io.wsrpc.observability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import io.wsrpc.WsrpcApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters that dashboards and alerts ask for exist from startup, at zero, so that a
 * server nobody has called yet shows zero rather than nothing. Each test starts a server
 * of its own: a context shared with other tests would have taken calls already.
 */
class MetersAtStartupIntegrationTests {

	private static final List<String> METERS = List.of("rpc.server.calls", "rpc.server.calls.in-flight",
			"rpc.server.connections", "rpc.server.connections.slow", "rpc.server.handshakes.refused");

	@Test
	void metersDashboardsNeedAnswerBeforeTheFirstCall() throws Exception {
		try (ConfigurableApplicationContext server = new SpringApplicationBuilder(WsrpcApplication.class)
			.properties("server.port=0", "wsrpc.shutdown-timeout=100ms")
			.run()) {
			int port = ((WebServerApplicationContext) server).getWebServer().getPort();
			for (String meter : METERS) {
				assertThat(status(port, "/actuator/metrics/" + meter)).as(meter).isEqualTo(200);
			}
			for (String tag : List.of("method:add_numbers,protocol:ws", "method:add_numbers,protocol:jsonrpc",
					"reason:origin", "reason:unauthorized", "reason:capacity")) {
				String path = "/actuator/metrics/"
						+ (tag.startsWith("method") ? "rpc.server.calls" : "rpc.server.handshakes.refused") + "?tag="
						+ tag.replace(",", "&tag=");
				assertThat(status(port, path)).as(path).isEqualTo(200);
			}
		}
	}

	private static int status(int port, String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
					HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

}
