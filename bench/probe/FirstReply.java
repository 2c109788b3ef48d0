import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a server to answer: connects to the URL again and again (every 5 ms) until a
 * {@code ping} gets its reply, then prints the wall-clock time of that reply in
 * milliseconds since the epoch. Started before the server, so that its own JVM start
 * does not count. Usage: {@code java bench/probe/FirstReply.java ws://localhost:8080/ws [timeout-seconds]}
 */
public class FirstReply {

	public static void main(String[] args) throws Exception {
		URI uri = URI.create(args[0]);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos((args.length > 1) ? Long.parseLong(args[1]) : 60);
		HttpClient http = HttpClient.newHttpClient();
		while (System.nanoTime() < deadline) {
			CompletableFuture<String> reply = new CompletableFuture<>();
			try {
				WebSocket webSocket = http.newWebSocketBuilder()
					.connectTimeout(Duration.ofSeconds(1))
					.buildAsync(uri, new WebSocket.Listener() {

						@Override
						public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
							reply.complete(data.toString());
							return null;
						}

					})
					.get(2, TimeUnit.SECONDS);
				webSocket.sendText("{\"request_id\":1,\"action\":\"ping\"}", true);
				String text = reply.get(5, TimeUnit.SECONDS);
				long at = System.currentTimeMillis();
				if (text.contains("pong")) {
					System.out.println(at);
					webSocket.abort();
					return;
				}
			}
			catch (Exception ex) {
				// not up yet
			}
			Thread.sleep(5);
		}
		System.exit(1);
	}

}
