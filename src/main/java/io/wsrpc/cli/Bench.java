package io.wsrpc.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import io.wsrpc.client.ClientOptions;
import io.wsrpc.client.Frames;
import io.wsrpc.client.Reply;
import io.wsrpc.client.RpcClient;
import io.wsrpc.client.SerialSender;
import io.wsrpc.client.TextMessages;
import io.wsrpc.protocol.Dialect;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The load generator behind {@code bench}: a few threads drive every connection through
 * the JDK's asynchronous WebSocket, each connection keeping its calls in flight by
 * sending a new one as each reply arrives, or with a call interval when its time comes.
 * Every reply is matched to its request and checked; against an echo target the request
 * that comes back is its own reply. Connections open with at most
 * {@value #MAX_PENDING_HANDSHAKES} handshakes pending; those that fail to open are
 * counted and the run goes on with the rest. Latency is recorded in an HdrHistogram
 * {@link Recorder}. Progress, and the start and end of the measured window, go to the
 * progress writer.
 */
final class Bench {

	/** Handshakes that may be pending at once while connections open. */
	static final int MAX_PENDING_HANDSHAKES = 500;

	final Settings settings;

	private final JsonMapper mapper;

	final Frames frames;

	final Recorder latency = new Recorder(3);

	final LongAdder ok = new LongAdder();

	final LongAdder errors = new LongAdder();

	final LongAdder wrong = new LongAdder();

	final LongAdder duplicate = new LongAdder();

	final LongAdder answered = new LongAdder();

	final LongAdder dropped = new LongAdder();

	final LongAdder failed = new LongAdder();

	final AtomicLong sentMeasured = new AtomicLong();

	final AtomicLong outstanding = new AtomicLong();

	final AtomicLong budget;

	final AtomicReference<@Nullable JsonNode> expected;

	final boolean generated;

	final String requestPrefix;

	final String requestSuffix;

	final String fixedParams;

	final String idField;

	final long intervalNanos;

	private volatile @Nullable ScheduledExecutorService pacer;

	volatile long measureFrom;

	volatile long stopAt = Long.MAX_VALUE;

	volatile long lastReplyAt;

	volatile boolean finished;

	Bench(Settings settings, JsonMapper mapper) {
		this.settings = settings;
		this.mapper = mapper;
		this.frames = new Frames(settings.options().dialect());
		this.budget = new AtomicLong(settings.requests());
		this.expected = new AtomicReference<>(settings.expect());
		this.generated = settings.params() == null && settings.method().equals("add_numbers");
		String method = mapper.writeValueAsString(settings.method());
		this.fixedParams = (settings.params() != null) ? mapper.writeValueAsString(settings.params()) : "";
		if (settings.options().dialect() == Dialect.JSON_RPC) {
			this.requestPrefix = "{\"jsonrpc\":\"2.0\",\"method\":" + method;
			this.idField = "id";
		}
		else {
			this.requestPrefix = "{\"action\":" + method;
			this.idField = "request_id";
		}
		this.requestSuffix = ",\"" + this.idField + "\":";
		this.intervalNanos = settings.callInterval().toNanos();
	}

	private static ThreadFactory daemon(String name) {
		return (task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		};
	}

	BenchResult run(PrintWriter progress) throws InterruptedException {
		if (this.settings.client() == Client.NIO && NioConnections.supports(this.settings.uri())) {
			try (NioConnections connections = new NioConnections(this)) {
				return measure(progress, connections, connections.open(progress));
			}
		}
		ScheduledExecutorService pacer = (this.intervalNanos > 0)
				? Executors.newSingleThreadScheduledExecutor(daemon("bench-pacer")) : null;
		this.pacer = pacer;
		if (this.settings.client() == Client.NIO) {
			progress
				.println("wss:// URL: calling through the JDK's WebSocket client (the NIO client speaks ws:// only)");
		}
		ExecutorService threads = Executors.newFixedThreadPool(2, daemon("bench"));
		try {
			HttpClient http = HttpClient.newBuilder().executor(threads).build();
			List<Connection> connections = open(http, progress);
			return measure(progress, new Connections() {

				@Override
				public void start() {
					connections.forEach(Connection::start);
				}

				@Override
				public long held() {
					return connections.stream().filter(Connection::isOpen).count();
				}

				@Override
				public void close() {
					connections.forEach(Connection::close);
				}

			}, connections.size());
		}
		finally {
			threads.shutdownNow();
			if (pacer != null) {
				pacer.shutdownNow();
			}
		}
	}

	private BenchResult measure(PrintWriter progress, Connections connections, int opened) throws InterruptedException {
		long start = System.nanoTime();
		this.measureFrom = start + this.settings.warmup().toNanos();
		boolean byCount = this.settings.requests() > 0;
		if (!byCount) {
			this.stopAt = this.measureFrom + this.settings.duration().toNanos();
		}
		connections.start();
		report(progress, start, byCount, opened);
		long deadline = System.nanoTime() + this.settings.options().callTimeout().toNanos();
		while (this.outstanding.get() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		this.finished = true;
		long held = connections.held();
		connections.close();
		long end = byCount ? this.lastReplyAt : this.stopAt;
		return result(Math.max(end - this.measureFrom, 1), held);
	}

	private List<Connection> open(HttpClient http, PrintWriter progress) throws InterruptedException {
		long start = System.nanoTime();
		Semaphore pending = new Semaphore(MAX_PENDING_HANDSHAKES);
		Queue<Connection> opened = new ConcurrentLinkedQueue<>();
		AtomicReference<@Nullable Throwable> firstFailure = new AtomicReference<>();
		for (int i = 0; i < this.settings.connections(); i++) {
			pending.acquire();
			Connection connection = new Connection(i);
			WebSocket.Builder builder = http.newWebSocketBuilder()
				.connectTimeout(this.settings.options().connectTimeout());
			this.settings.options().headers().forEach(builder::header);
			// the JDK fails the handshake itself after the connect timeout
			builder.buildAsync(this.settings.uri(), connection).whenComplete((webSocket, ex) -> {
				try {
					if (ex == null) {
						opened.add(connection.opened(webSocket));
					}
					else {
						this.failed.increment();
						firstFailure.compareAndSet(null, ex);
					}
				}
				finally {
					pending.release();
				}
			});
		}
		pending.acquire(MAX_PENDING_HANDSHAKES);
		Throwable failure = firstFailure.get();
		if (opened.isEmpty() && failure != null) {
			throw new IllegalStateException(
					"Cannot connect to " + this.settings.uri() + ": " + RpcClient.describe(failure));
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		if (seconds >= 1 || failure != null) {
			progress.println(String.format(Locale.ROOT, "opened %,d connections in %.1f s, %,d failed%s", opened.size(),
					seconds, this.failed.sum(), (failure != null) ? " (" + RpcClient.describe(failure) + ")" : ""));
		}
		return List.copyOf(opened);
	}

	private void report(PrintWriter progress, long start, boolean byCount, int opened) throws InterruptedException {
		long expectedEnd = byCount ? Long.MAX_VALUE : this.stopAt;
		boolean longRun = byCount || expectedEnd - start > TimeUnit.SECONDS.toNanos(3);
		boolean measuring = false;
		long lastAnswered = 0;
		long lastReport = start;
		long seen = 0;
		long seenAt = start;
		while (true) {
			long now = System.nanoTime();
			long answered = this.answered.sum();
			if (answered != seen) {
				seen = answered;
				seenAt = now;
			}
			else if (byCount && now - seenAt > this.settings.options().callTimeout().toNanos()) {
				// no reply for so long that the calls still unsent would never be sent
				return;
			}
			if (!byCount && !measuring && now >= this.measureFrom) {
				measuring = true;
				progress.println(String.format(Locale.ROOT, "[%4.0fs] measuring for %d s", (now - start) / 1e9,
						this.settings.duration().toSeconds()));
				progress.flush();
			}
			if (byCount ? this.budget.get() <= 0 : now >= expectedEnd) {
				if (!byCount) {
					progress.println(String.format(Locale.ROOT, "[%4.0fs] measured", (now - start) / 1e9));
					progress.flush();
				}
				return;
			}
			if (this.dropped.sum() == opened) {
				return;
			}
			Thread.sleep(Math.min(10, Math.max(1, (expectedEnd - now) / 1_000_000)));
			now = System.nanoTime();
			if (longRun && now - lastReport >= TimeUnit.SECONDS.toNanos(1)) {
				long total = this.answered.sum();
				progress.println(String.format(Locale.ROOT, "[%4.0fs] %,10.0f calls/s  %,d errors", (now - start) / 1e9,
						(total - lastAnswered) * 1e9 / (now - lastReport), this.errors.sum()));
				lastAnswered = total;
				lastReport = now;
			}
		}
	}

	private BenchResult result(long nanos, long held) {
		Histogram histogram = this.latency.getIntervalHistogram();
		long received = this.ok.sum() + this.errors.sum() + this.wrong.sum();
		double seconds = nanos / 1e9;
		return new BenchResult(this.settings.method(), this.settings.connections(), this.settings.inFlight(), seconds,
				this.ok.sum(), this.errors.sum(), this.wrong.sum(), Math.max(0, this.sentMeasured.get() - received),
				this.duplicate.sum(), this.failed.sum(), this.dropped.sum(), held, received / seconds,
				new BenchResult.Latency(millis(histogram, 50), millis(histogram, 90), millis(histogram, 99),
						millis(histogram, 99.9), histogram.getMaxValue() / 1e6));
	}

	private static double millis(Histogram histogram, double percentile) {
		return histogram.getValueAtPercentile(percentile) / 1e6;
	}

	/**
	 * Reads a reply; from an echo target, the request that came back, with itself as the
	 * result.
	 */
	private @Nullable Reply read(String text) {
		if (!this.settings.echo()) {
			return this.frames.reply(text);
		}
		JsonNode message;
		try {
			message = this.frames.mapper().readTree(text);
		}
		catch (JacksonException ex) {
			return null;
		}
		JsonNode id = message.get(this.idField);
		return (id != null) ? new Reply(message, id, message, null) : null;
	}

	private boolean check(long id, int connection, JsonNode result) {
		if (this.settings.echo()) {
			return true;
		}
		if (this.generated) {
			return result.isNumber() && result.decimalValue().compareTo(BigDecimal.valueOf(id + connection)) == 0;
		}
		return checkExpected(result);
	}

	/**
	 * Whether a result is the one expected of every call: {@code --expect}, or else the
	 * first result checked.
	 */
	boolean checkExpected(JsonNode result) {
		JsonNode want = this.expected.get();
		if (want == null && this.expected.compareAndSet(null, result)) {
			return true;
		}
		return result.equals(this.expected.get());
	}

	/**
	 * The settings of one run.
	 *
	 * @param uri the endpoint
	 * @param options connect timeout, reply timeout, headers and dialect
	 * @param connections connections to open
	 * @param inFlight calls in flight per connection
	 * @param duration how long to measure when {@code requests} is 0
	 * @param requests measured calls to send, or 0 to run for {@code duration}
	 * @param warmup how long to call before measuring
	 * @param callInterval the least time between the starts of two calls on one
	 * connection, or 0 to call back to back
	 * @param method the method to call
	 * @param params the params of every call, or {@code null}
	 * @param expect the result every call must return, or {@code null}
	 * @param echo whether the target echoes each frame instead of answering it
	 * @param client the WebSocket client that drives the connections
	 */
	record Settings(URI uri, ClientOptions options, int connections, int inFlight, Duration duration, long requests,
			Duration warmup, Duration callInterval, String method, @Nullable JsonNode params, @Nullable JsonNode expect,
			boolean echo, Client client) {
	}

	/**
	 * The WebSocket client that drives the connections.
	 */
	enum Client {

		/**
		 * One thread on a {@code java.nio} selector, writing frames by hand;
		 * {@code ws://} only, {@code wss://} falls back to {@link #JDK}.
		 */
		NIO,

		/**
		 * The JDK's {@code java.net.http.WebSocket}; several times the CPU per call of
		 * {@link #NIO}.
		 */
		JDK

	}

	/**
	 * The connections of a run, opened: what the run does with them.
	 */
	interface Connections {

		/**
		 * Starts the calls of every connection.
		 */
		void start();

		/**
		 * Connections open now.
		 * @return how many
		 */
		long held() throws InterruptedException;

		/**
		 * Closes every connection.
		 */
		void close();

	}

	/**
	 * One connection, with one slot per call in flight. A reply frees its slot and the
	 * next call takes it, so a slow reply never shares a slot with a later call; the slot
	 * is part of the request id ({@code id = round * slots + slot}). With a call
	 * interval, the connection's calls keep to a schedule one interval apart, and the
	 * first calls of all connections are spread evenly over one interval.
	 */
	private final class Connection implements WebSocket.Listener {

		private final int index;

		private final long[] ids;

		private final long[] sentAt;

		private final int slots;

		private final TextMessages messages = new TextMessages();

		private final AtomicBoolean closed = new AtomicBoolean();

		private long round;

		private long nextStart;

		private @Nullable WebSocket webSocket;

		private @Nullable SerialSender sender;

		Connection(int index) {
			this.index = index;
			this.slots = Bench.this.settings.inFlight();
			this.ids = new long[this.slots];
			this.sentAt = new long[this.slots];
		}

		Connection opened(WebSocket webSocket) {
			this.webSocket = webSocket;
			this.sender = new SerialSender(webSocket, (ex) -> webSocket.abort());
			return this;
		}

		void start() {
			synchronized (this) {
				this.nextStart = System.nanoTime()
						+ Bench.this.intervalNanos / Bench.this.settings.connections() * this.index;
			}
			for (int slot = 0; slot < this.slots; slot++) {
				next(slot);
			}
		}

		private void next(int slot) {
			ScheduledExecutorService pacer = Bench.this.pacer;
			if (Bench.this.finished) {
				return;
			}
			if (pacer == null) {
				send(slot);
				return;
			}
			long now = System.nanoTime();
			long at;
			synchronized (this) {
				at = Math.max(now, this.nextStart);
				this.nextStart = at + Bench.this.intervalNanos;
			}
			if (at >= Bench.this.stopAt) {
				return;
			}
			if (at <= now) {
				send(slot);
			}
			else {
				pacer.schedule(() -> send(slot), at - now, TimeUnit.NANOSECONDS);
			}
		}

		private void send(int slot) {
			long now = System.nanoTime();
			boolean measured = now >= Bench.this.measureFrom;
			if (now >= Bench.this.stopAt) {
				return;
			}
			// counted before the budget is taken, so that no call is sent unseen once the
			// budget is spent
			Bench.this.outstanding.incrementAndGet();
			if (measured && Bench.this.settings.requests() > 0 && Bench.this.budget.getAndDecrement() <= 0) {
				Bench.this.outstanding.decrementAndGet();
				return;
			}
			long id;
			synchronized (this) {
				id = ++this.round * this.slots + slot;
				this.ids[slot] = measured ? id : -id;
				this.sentAt[slot] = now;
			}
			if (measured) {
				Bench.this.sentMeasured.incrementAndGet();
			}
			String params = Bench.this.generated ? "{\"a\":" + id + ",\"b\":" + this.index + "}"
					: Bench.this.fixedParams;
			SerialSender out = this.sender;
			if (out != null) {
				out.send(Bench.this.requestPrefix + (params.isEmpty() ? "" : ",\"params\":" + params)
						+ Bench.this.requestSuffix + id + "}");
			}
		}

		@Override
		public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			String text = this.messages.append(data, last);
			if (text != null) {
				received(text);
			}
			webSocket.request(1);
			return null;
		}

		private void received(String text) {
			long now = System.nanoTime();
			Reply reply = read(text);
			if (reply == null || !reply.id().canConvertToLong()) {
				Bench.this.duplicate.increment();
				return;
			}
			long id = reply.id().asLong();
			if (id <= 0) {
				Bench.this.duplicate.increment();
				return;
			}
			long sent;
			boolean measured;
			int slot = (int) (id % this.slots);
			synchronized (this) {
				long held = this.ids[slot];
				if (held != id && held != -id) {
					Bench.this.duplicate.increment();
					return;
				}
				measured = held > 0;
				sent = this.sentAt[slot];
				this.ids[slot] = 0;
			}
			Bench.this.outstanding.decrementAndGet();
			Bench.this.answered.increment();
			if (measured) {
				Bench.this.lastReplyAt = now;
				if (!reply.isOk()) {
					Bench.this.errors.increment();
				}
				else if (check(id, this.index, reply.result())) {
					Bench.this.ok.increment();
				}
				else {
					Bench.this.wrong.increment();
				}
				Bench.this.latency.recordValue(now - sent);
			}
			next(slot);
		}

		@Override
		public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			closed();
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			closed();
		}

		private void closed() {
			if (this.closed.compareAndSet(false, true) && !Bench.this.finished) {
				Bench.this.dropped.increment();
			}
		}

		boolean isOpen() {
			return !this.closed.get();
		}

		void close() {
			WebSocket socket = this.webSocket;
			if (socket != null && !socket.isOutputClosed()) {
				socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally((ex) -> null);
			}
		}

	}

}
