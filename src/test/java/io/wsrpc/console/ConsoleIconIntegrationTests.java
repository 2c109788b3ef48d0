package io.wsrpc.console;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console page's icon, which every browser asks for: served as an image, so that no
 * browser logs a 404 for it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ConsoleIconIntegrationTests {

	@LocalServerPort
	private int port;

	@Test
	void consolePageNamesItsIconAndTheServerAnswersItAsAnImage() throws Exception {
		assertThat(get("/", HttpResponse.BodyHandlers.ofString()).body())
			.contains("<link rel=\"icon\" href=\"favicon.ico\"");
		HttpResponse<byte[]> icon = get("/favicon.ico", HttpResponse.BodyHandlers.ofByteArray());
		assertThat(icon.statusCode()).isEqualTo(200);
		assertThat(icon.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("image/"));
		// an ICO file's header: reserved 0, type 1 (icon), then its image count
		assertThat(icon.body()).startsWith(0, 0, 1, 0);
	}

	private <T> HttpResponse<T> get(String path, HttpResponse.BodyHandler<T> body) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(), body);
	}

}
