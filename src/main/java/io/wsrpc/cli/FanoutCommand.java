package io.wsrpc.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.wsrpc.client.RpcClient;
import io.wsrpc.client.TextMessages;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fanout}: opens many subscriber connections to one topic, publishes to it again
 * and again, and measures the time from each publish until the last subscriber has the
 * event.
 */
@Command(name = "fanout", mixinStandardHelpOptions = true, description = {
		"Measures pub/sub fan-out: time from a publish until the last of --subscribers connections has the event.",
		"Exit code 0 when every subscriber got every event, 1 otherwise." })
final class FanoutCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Mixin
	ConnectionOptions connection = new ConnectionOptions();

	@Option(names = "--subscribers", defaultValue = "1000",
			description = "Subscriber connections (default: ${DEFAULT-VALUE}).")
	int subscribers;

	@Option(names = "--publishes", defaultValue = "20", description = "Publishes to time (default: ${DEFAULT-VALUE}).")
	int publishes;

	@Option(names = "--topic", defaultValue = "bench.fanout", description = "The topic (default: ${DEFAULT-VALUE}).")
	String topic = "bench.fanout";

	@Override
	public Integer call() throws Exception {
		PrintWriter out = this.spec.commandLine().getOut();
		ExecutorService threads = Executors.newFixedThreadPool(2, (task) -> {
			Thread thread = new Thread(task, "fanout");
			thread.setDaemon(true);
			return thread;
		});
		AtomicReference<@Nullable CountDownLatch> pending = new AtomicReference<>();
		List<WebSocket> sockets = new ArrayList<>();
		try {
			HttpClient http = HttpClient.newBuilder().executor(threads).build();
			URI uri = this.connection.uri();
			String subscribe = "{\"request_id\":1,\"action\":\"subscribe\",\"params\":{\"topic\":\"" + this.topic
					+ "\"}}";
			CountDownLatch subscribed = new CountDownLatch(this.subscribers);
			List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
			for (int i = 0; i < this.subscribers; i++) {
				opening.add(http.newWebSocketBuilder()
					.buildAsync(uri, new Subscriber(subscribed, pending))
					.thenCompose((socket) -> socket.sendText(subscribe, true)));
				if (opening.size() % 500 == 0) {
					CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).join();
				}
			}
			for (CompletableFuture<WebSocket> socket : opening) {
				sockets.add(socket.join());
			}
			if (!subscribed.await(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Only " + (this.subscribers - subscribed.getCount()) + " of "
						+ this.subscribers + " subscriptions were confirmed");
			}
			long[] nanos = new long[this.publishes];
			boolean complete = true;
			try (RpcClient publisher = RpcClient.connect(uri, this.connection.clientOptions())) {
				for (int i = 0; i < this.publishes; i++) {
					CountDownLatch all = new CountDownLatch(this.subscribers);
					pending.set(all);
					long start = System.nanoTime();
					publisher.call("publish", Map.of("topic", this.topic, "data", i), Integer.class);
					complete &= all.await(30, TimeUnit.SECONDS);
					nanos[i] = System.nanoTime() - start;
					Thread.sleep(50);
				}
			}
			Arrays.sort(nanos);
			out.println(String.format(Locale.ROOT,
					"fan-out to %,d subscribers, %d publishes: p50 %.1f ms  p99 %.1f ms  max %.1f ms%s",
					this.subscribers, this.publishes, nanos[nanos.length / 2] / 1e6,
					nanos[Math.min(nanos.length - 1, (int) Math.ceil(nanos.length * 0.99) - 1)] / 1e6,
					nanos[nanos.length - 1] / 1e6, complete ? "" : "  (some events did not arrive)"));
			return complete ? Cli.OK : Cli.FAILED;
		}
		finally {
			sockets.forEach(WebSocket::abort);
			threads.shutdownNow();
		}
	}

	/**
	 * Counts the confirmation of its subscription, then each event.
	 */
	private static final class Subscriber implements WebSocket.Listener {

		private final CountDownLatch subscribed;

		private final AtomicReference<@Nullable CountDownLatch> pending;

		private final TextMessages messages = new TextMessages();

		Subscriber(CountDownLatch subscribed, AtomicReference<@Nullable CountDownLatch> pending) {
			this.subscribed = subscribed;
			this.pending = pending;
		}

		@Override
		public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			String text = this.messages.append(data, last);
			if (text != null) {
				if (text.startsWith("{\"event\"")) {
					CountDownLatch latch = this.pending.get();
					if (latch != null) {
						latch.countDown();
					}
				}
				else if (text.contains("\"status\":\"ok\"")) {
					this.subscribed.countDown();
				}
			}
			webSocket.request(1);
			return null;
		}

	}

}
