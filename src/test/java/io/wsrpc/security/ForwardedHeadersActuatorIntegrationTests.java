package io.wsrpc.security;

import java.io.IOException;
import java.net.InetAddress;

import io.wsrpc.support.RawHttp;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * With forwarded headers on, the address a request claims to come from is no key to the
 * actuator: the allow-list is checked against the socket's peer.
 */
class ForwardedHeadersActuatorIntegrationTests {

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.forward-headers-strategy=native")
	class JettyNative extends ActuatorBehindForwardedHeaders {

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
			"server.forward-headers-strategy=framework", "wsrpc.security.actuator-allowed-addresses=127.0.0.1" })
	class SpringFramework extends ActuatorBehindForwardedHeaders {

	}

	abstract static class ActuatorBehindForwardedHeaders {

		@LocalServerPort
		private int port;

		@Test
		void aClaimToBeLoopbackFromAnotherAddressGets403() throws IOException {
			InetAddress address = RawHttp.nonLoopbackAddress().orElse(null);
			assumeTrue(address != null,
					"This machine has no IPv4 address besides loopback, so no request can come from another address");
			for (String header : new String[] { "X-Forwarded-For: 127.0.0.1", "Forwarded: for=127.0.0.1" }) {
				assertThat(RawHttp.exchange(address, this.port, withHeader("/actuator/rpc", header)).status())
					.as("%s from %s", header, address.getHostAddress())
					.isEqualTo(403);
			}
		}

		@Test
		void theMachineItselfReadsTheActuatorWhateverItForwards() throws IOException {
			assertThat(RawHttp
				.exchange(InetAddress.getLoopbackAddress(), this.port,
						withHeader("/actuator/rpc", "X-Forwarded-For: 203.0.113.9"))
				.status()).isEqualTo(200);
		}

		private static String withHeader(String path, String header) {
			return RawHttp.getRequest(path).replace("\r\n\r\n", "\r\n" + header + "\r\n\r\n");
		}

	}

}
