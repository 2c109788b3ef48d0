package io.wsrpc.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import io.wsrpc.client.ClientOptions;
import io.wsrpc.client.ReconnectPolicy;
import io.wsrpc.client.RpcClient;
import io.wsrpc.support.RawHttp;
import io.wsrpc.support.TestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.wsrpc.support.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Serves {@code wss://} through a Spring Boot SSL bundle, with a self-signed certificate
 * for {@code localhost} that {@code keytool} makes before the server starts.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class TlsIntegrationTests {

	private static final String PASSWORD = "test-secret";

	private static final byte TLS_ALERT_CONTENT_TYPE = 21;

	private static final byte TLS_MAJOR_VERSION = 3;

	private static final int TLS_RECORD_HEADER_LENGTH = 5;

	@TempDir
	static Path directory;

	@LocalServerPort
	private int port;

	@BeforeAll
	static void generateKeyStore() throws IOException, InterruptedException {
		String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
		Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "wsrpc", "-keyalg", "EC", "-groupname",
				"secp256r1", "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "1",
				"-storetype", "PKCS12", "-keystore", keyStore().toString(), "-storepass", PASSWORD)
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("keytool finished").isTrue();
		assertThat(process.exitValue()).as("keytool exit value; it said: %s", output).isZero();
	}

	@DynamicPropertySource
	static void sslBundle(DynamicPropertyRegistry registry) {
		registry.add("spring.ssl.bundle.jks.server.keystore.location", () -> "file:" + keyStore());
		registry.add("spring.ssl.bundle.jks.server.keystore.password", () -> PASSWORD);
		registry.add("spring.ssl.bundle.jks.server.keystore.type", () -> "PKCS12");
		registry.add("server.ssl.bundle", () -> "server");
	}

	private static Path keyStore() {
		return directory.resolve("server.p12");
	}

	@Test
	void addNumbersIsAnsweredOverWss() throws Exception {
		try (TestClient client = TestClient.connect(wssUri(), trustingTheServerCertificate())) {
			assertThat(client.call("""
					{"request_id": "r-1", "action": "add_numbers", "params": {"a": 5, "b": 10}}""")).isEqualTo(json("""
					{"request_id": "r-1", "status": "ok", "result": 15}"""));
		}
	}

	@Test
	void rpcClientCallsOverWssWithTheSslContextItIsGiven() throws Exception {
		ClientOptions options = ClientOptions.defaults()
			.withReconnect(ReconnectPolicy.none())
			.withSslContext(trustingTheServerCertificate());
		try (RpcClient client = RpcClient.connect(wssUri(), options)) {
			assertThat(client.call("add_numbers", Map.of("a", 5, "b", 10), Integer.class).get(10, TimeUnit.SECONDS))
				.isEqualTo(15);
		}
	}

	@Test
	void clientThatDoesNotTrustTheCertificateFailsTheHandshake() throws Exception {
		assertThatExceptionOfType(CompletionException.class)
			.isThrownBy(() -> TestClient.connect(wssUri(), SSLContext.getDefault()).close())
			.havingCause()
			.isInstanceOf(SSLHandshakeException.class);
	}

	@Test
	void plainWsClientCannotConnectToTheTlsPort() {
		assertThatExceptionOfType(CompletionException.class)
			.isThrownBy(() -> TestClient.connect(this.port, "/ws").close())
			.havingCause()
			.isInstanceOf(IOException.class);
	}

	@Test
	void plainUpgradeRequestIsAnsweredWithATlsAlertNotAnHttpResponse() throws IOException {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(RawHttp.upgradeRequest("/ws").getBytes(StandardCharsets.US_ASCII));
			byte[] reply = socket.getInputStream().readNBytes(TLS_RECORD_HEADER_LENGTH);
			assertThat(reply).as("a TLS record header: alert, protocol version 3.x")
				.startsWith(TLS_ALERT_CONTENT_TYPE, TLS_MAJOR_VERSION);
		}
	}

	@Test
	void handshakeResponseOverTlsCarriesStrictTransportSecurityAndTheOtherDefaultHeaders() throws Exception {
		try (Socket socket = trustingTheServerCertificate().getSocketFactory().createSocket("localhost", this.port)) {
			RawHttp.Head head = RawHttp.exchange(socket, RawHttp.upgradeRequest("/ws"));
			assertThat(head.status()).isEqualTo(101);
			assertThat(head.header("Strict-Transport-Security")).hasValue("max-age=31536000 ; includeSubDomains");
			assertThat(head.header("X-Content-Type-Options")).hasValue("nosniff");
			assertThat(head.header("X-Frame-Options")).hasValue("DENY");
			assertThat(head.header("Cache-Control")).hasValue("no-cache, no-store, max-age=0, must-revalidate");
		}
	}

	private URI wssUri() {
		return URI.create("wss://localhost:" + this.port + "/ws");
	}

	/**
	 * Trusts exactly the certificate in the server's key store, and nothing else.
	 */
	private static SSLContext trustingTheServerCertificate() throws IOException, GeneralSecurityException {
		KeyStore keyStore = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(keyStore())) {
			keyStore.load(in, PASSWORD.toCharArray());
		}
		Certificate certificate = keyStore.getCertificate("wsrpc");
		KeyStore trustStore = KeyStore.getInstance("PKCS12");
		trustStore.load(null, null);
		trustStore.setCertificateEntry("wsrpc", certificate);
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trustStore);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trustManagers.getTrustManagers(), null);
		return context;
	}

}
