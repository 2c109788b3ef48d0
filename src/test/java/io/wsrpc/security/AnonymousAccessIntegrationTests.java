package io.wsrpc.security;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wsrpc.support.RawHttp;
import io.wsrpc.support.TestClient;
import io.wsrpc.support.TestMethods;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(TestMethods.Config.class)
class AnonymousAccessIntegrationTests {

	private static final List<String> LOOPBACK_ONLY = List.of("/actuator/metrics", "/actuator/metrics/jvm.threads.live",
			"/actuator/prometheus", "/actuator/rpc");

	private static final List<String> PUBLIC = List.of("/actuator/health", "/actuator/health/liveness",
			"/actuator/health/readiness", "/actuator/info");

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meterRegistry;

	@Test
	void withSecurityOffAnonymousCallersGetUnauthorizedFromMethodsWithRoles() {
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			assertThat(client.call("""
					{"request_id": 1, "action": "test.admin_only"}""").at("/error/code").asString())
				.isEqualTo("unauthorized");
			assertThat(client.call("""
					{"request_id": 2, "action": "test.whoami", "params": {"greeting": "hi"}}""")
				.get("result")
				.asString()).isEqualTo("hi anonymous []");
		}
	}

	@Test
	void withSecurityOffAHandshakeCarryingAKeyIsServedAsAnonymous() {
		URI uri = URI.create("ws://localhost:" + this.port + "/ws");
		try (TestClient header = TestClient.connect(uri, Map.of("Authorization", "Bearer some-key"));
				TestClient parameter = TestClient.connect(URI.create(uri + "?access_token=some-key"), Map.of())) {
			for (TestClient client : List.of(header, parameter)) {
				assertThat(client.call("""
						{"request_id": 1, "action": "test.whoami", "params": {"greeting": "hi"}}""")
					.get("result")
					.asString()).isEqualTo("hi anonymous []");
			}
		}
	}

	@Test
	void withSecurityOffAStrayTokenLocksNobodyOutOfHealth() throws IOException {
		for (String path : List.of("/actuator/health", "/actuator/health?access_token=x")) {
			String request = RawHttp.getRequest(path).replace("\r\n\r\n", "\r\nAuthorization: Bearer x\r\n\r\n");
			assertThat(RawHttp.exchange(InetAddress.getLoopbackAddress(), this.port, request).status()).as(path)
				.isEqualTo(200);
		}
	}

	@Test
	void foreignOriginIsRefusedByDefaultAndNoOriginIsAllowed() {
		URI uri = URI.create("ws://localhost:" + this.port + "/ws");
		assertThat(TestClient.refusedStatus(uri, Map.of("Origin", "https://evil.example.com"))).isEqualTo(403);
		try (TestClient client = TestClient.connect(uri, Map.of())) {
			assertThat(client.call("""
					{"request_id": 1, "action": "ping"}""").get("result").asString()).isEqualTo("pong");
		}
	}

	@Test
	void foreignOriginRefusalsAreCountedAsRefusedHandshakesOnBothEndpoints() {
		double refused = refusedForOrigin();
		for (String path : List.of("/ws", "/jsonrpc")) {
			URI uri = URI.create("ws://localhost:" + this.port + path);
			assertThat(TestClient.refusedStatus(uri, Map.of("Origin", "https://evil.example.com"))).isEqualTo(403);
		}
		assertThat(refusedForOrigin() - refused).isEqualTo(2);
		try (TestClient client = TestClient.connect(this.port, "/ws")) {
			client.call("""
					{"request_id": 1, "action": "ping"}""");
		}
		assertThat(refusedForOrigin() - refused).as("refusals after a handshake without an Origin").isEqualTo(2);
	}

	private double refusedForOrigin() {
		Counter counter = this.meterRegistry.find("rpc.server.handshakes.refused").tag("reason", "origin").counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void handshakeResponseCarriesSpringSecurityDefaultHeadersButNoHstsWithoutTls() throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			RawHttp.Head head = RawHttp.exchange(socket, RawHttp.upgradeRequest("/ws"));
			assertThat(head.status()).isEqualTo(101);
			assertThat(head.header("X-Content-Type-Options")).hasValue("nosniff");
			assertThat(head.header("X-Frame-Options")).hasValue("DENY");
			assertThat(head.header("Cache-Control")).hasValue("no-cache, no-store, max-age=0, must-revalidate");
			assertThat(head.header("Strict-Transport-Security")).isEmpty();
		}
	}

	@Test
	void withSecurityOffTheWholeActuatorAnswersTheMachineItself() throws IOException {
		for (String path : concat(LOOPBACK_ONLY, PUBLIC)) {
			assertThat(RawHttp.exchange(InetAddress.getLoopbackAddress(), this.port, RawHttp.getRequest(path)).status())
				.as("%s from loopback", path)
				.isEqualTo(200);
		}
	}

	@Test
	void withSecurityOffTheActuatorBeyondHealthAndInfoRefusesAnotherAddressWith403() throws IOException {
		InetAddress address = nonLoopbackAddress();
		for (String path : LOOPBACK_ONLY) {
			assertThat(RawHttp.exchange(address, this.port, RawHttp.getRequest(path)).status())
				.as("%s from %s", path, address.getHostAddress())
				.isEqualTo(403);
		}
	}

	@Test
	void withSecurityOffHealthAndInfoArePublicToAnotherAddress() throws IOException {
		InetAddress address = nonLoopbackAddress();
		for (String path : PUBLIC) {
			assertThat(RawHttp.exchange(address, this.port, RawHttp.getRequest(path)).status())
				.as("%s from %s", path, address.getHostAddress())
				.isEqualTo(200);
		}
	}

	/**
	 * An address of this machine other than loopback: a request from it to it never
	 * leaves the machine, yet the server sees a remote address that is not loopback.
	 */
	private static InetAddress nonLoopbackAddress() throws IOException {
		InetAddress address = RawHttp.nonLoopbackAddress().orElse(null);
		assumeTrue(address != null,
				"This machine has no IPv4 address besides loopback, so no request can come from another address");
		return address;
	}

	private static List<String> concat(List<String> first, List<String> second) {
		return Stream.concat(first.stream(), second.stream()).toList();
	}

}
