package io.wsrpc.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

class PermessageDeflateIntegrationTests {

	/**
	 * Sends a handshake that offers compression, as browsers do, and returns the
	 * response's head.
	 */
	static String handshakeOfferingCompression(int port) throws IOException {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET /ws HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
					+ "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
					+ "Sec-WebSocket-Version: 13\r\n"
					+ "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			StringBuilder head = new StringBuilder();
			while (!head.toString().endsWith("\r\n\r\n")) {
				int b = in.read();
				if (b < 0) {
					break;
				}
				head.append((char) b);
			}
			return head.toString();
		}
	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	class ByDefault {

		@LocalServerPort
		private int port;

		@Test
		void compressionOfferedByTheClientIsDeclined() throws IOException {
			String head = handshakeOfferingCompression(this.port);

			assertThat(head).startsWith("HTTP/1.1 101");
			assertThat(head.toLowerCase()).doesNotContain("sec-websocket-extensions");
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "wsrpc.permessage-deflate=true")
	class WhenEnabled {

		@LocalServerPort
		private int port;

		@Test
		void compressionOfferedByTheClientIsAccepted() throws IOException {
			String head = handshakeOfferingCompression(this.port);

			assertThat(head).startsWith("HTTP/1.1 101");
			assertThat(head.toLowerCase()).contains("sec-websocket-extensions: permessage-deflate");
		}

	}

}
