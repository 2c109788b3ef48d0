package io.wsrpc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.wsrpc.client.RpcClient;
import io.wsrpc.protocol.Dialect;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * The connections of a {@code bench} run over {@code ws://}, driven by one thread on a
 * {@code java.nio} selector, so that the load generator costs less CPU per call than the
 * server it measures. The handshake is written by hand (no extensions offered) and its
 * {@code 101} and {@code Sec-WebSocket-Accept} checked. Requests are written as masked
 * frames straight into each connection's output buffer (the part before the first id is
 * masked once per connection) and leave in one write per connection and loop turn.
 * Replies are matched by scanning the top-level members of each message, without building
 * a JSON tree: the id, the status or error, and the result, whose sum is checked digit by
 * digit for {@code add_numbers}; a tree is built only for a result that must equal an
 * expected one and differs from it in bytes. Everything happens on the one thread except
 * {@link #open}, {@link #start}, {@link #held} and {@link #close}, which hand their work
 * to it.
 */
final class NioConnections implements Bench.Connections, AutoCloseable {

	private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

	private static final byte[] HEADER_END = { '\r', '\n', '\r', '\n' };

	private static final int MAX_HANDSHAKE_RESPONSE = 16 * 1024;

	private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

	private final Bench bench;

	private final Bench.Settings settings;

	private final InetSocketAddress address;

	private final byte[] handshake;

	private final String accept;

	private final ReplyScanner scanner;

	private final boolean jsonRpc;

	private final int slots;

	private final long intervalNanos;

	private final Selector selector;

	private final Thread thread;

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final List<Connection> connections = new ArrayList<>();

	private final ArrayDeque<Connection> handshaking = new ArrayDeque<>();

	private final PriorityQueue<Due> due = new PriorityQueue<>();

	private final List<Connection> touched = new ArrayList<>();

	private final CountDownLatch opening = new CountDownLatch(1);

	private final CountDownLatch stopped = new CountDownLatch(1);

	private byte[] in = new byte[256 * 1024];

	private ByteBuffer inView = ByteBuffer.wrap(this.in);

	private byte @Nullable [] expectedResult;

	private int opened;

	private int next;

	private int pending;

	private @Nullable String firstFailure;

	private volatile boolean running = true;

	private long closingUntil;

	NioConnections(Bench bench) {
		this.bench = bench;
		this.settings = bench.settings;
		URI uri = this.settings.uri();
		String host = uri.getHost();
		int port = (uri.getPort() != -1) ? uri.getPort() : 80;
		this.address = new InetSocketAddress(
				(host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host, port);
		String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath();
		StringBuilder request = new StringBuilder().append("GET ")
			.append(path)
			.append((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "")
			.append(" HTTP/1.1\r\nHost: ")
			.append(host)
			.append((uri.getPort() != -1) ? ":" + uri.getPort() : "")
			.append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ")
			.append(KEY)
			.append("\r\nSec-WebSocket-Version: 13\r\n");
		this.settings.options()
			.headers()
			.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
		this.handshake = request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
		this.accept = accept(KEY);
		this.jsonRpc = this.settings.options().dialect() == Dialect.JSON_RPC;
		this.scanner = new ReplyScanner(bench.idField);
		this.slots = this.settings.inFlight();
		this.intervalNanos = bench.intervalNanos;
		try {
			this.selector = Selector.open();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot open a selector: " + ex.getMessage(), ex);
		}
		this.thread = new Thread(this::loop, "bench-nio");
		this.thread.setDaemon(true);
	}

	/**
	 * Whether this client can reach a URL: {@code ws://} only.
	 * @param uri the endpoint
	 * @return {@code true} for {@code ws://}
	 */
	static boolean supports(URI uri) {
		return "ws".equalsIgnoreCase(uri.getScheme());
	}

	static String accept(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1")
				.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Opens every connection, with at most {@link Bench#MAX_PENDING_HANDSHAKES}
	 * handshakes pending at once.
	 * @param progress where to say how it went, when it took a while or some failed
	 * @return the connections open
	 * @throws IllegalStateException if none could be opened
	 */
	int open(PrintWriter progress) throws InterruptedException {
		long start = System.nanoTime();
		this.thread.start();
		this.opening.await();
		String failure = this.firstFailure;
		if (this.opened == 0 && failure != null) {
			throw new IllegalStateException("Cannot connect to " + this.settings.uri() + ": " + failure);
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		if (seconds >= 1 || failure != null) {
			progress.println(String.format(Locale.ROOT, "opened %,d connections in %.1f s, %,d failed%s", this.opened,
					seconds, this.bench.failed.sum(), (failure != null) ? " (" + failure + ")" : ""));
		}
		return this.opened;
	}

	@Override
	public void start() {
		run(() -> {
			long now = System.nanoTime();
			long spread = this.intervalNanos / this.settings.connections();
			for (Connection connection : this.connections) {
				if (connection.state == State.OPEN) {
					connection.nextStart = now + spread * connection.index;
					for (int slot = 0; slot < this.slots; slot++) {
						next(connection, slot);
					}
					flush(connection);
				}
			}
		});
	}

	@Override
	public long held() throws InterruptedException {
		CompletableFuture<Long> held = new CompletableFuture<>();
		Runnable count = () -> held.complete(this.connections.stream().filter((c) -> c.state == State.OPEN).count());
		if (this.thread.isAlive()) {
			run(count);
		}
		else {
			this.stopped.await();
			count.run();
		}
		try {
			return held.get(10, TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			return 0;
		}
	}

	/**
	 * Sends a close frame on every open connection, waits up to two seconds for the
	 * server's, and then closes every socket.
	 */
	@Override
	public void close() {
		run(() -> {
			this.closingUntil = System.nanoTime() + CLOSE_WAIT_NANOS;
			for (Connection connection : this.connections) {
				if (connection.state == State.OPEN) {
					connection.state = State.CLOSING;
					writeFrame(connection, 0x8, new byte[] { 0x03, (byte) 0xe8 }, 0, 2);
					flush(connection);
				}
			}
		});
		try {
			if (!this.stopped.await(CLOSE_WAIT_NANOS + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS)) {
				this.running = false;
				this.selector.wakeup();
			}
		}
		catch (InterruptedException ex) {
			this.running = false;
			this.selector.wakeup();
			Thread.currentThread().interrupt();
		}
	}

	private void run(Runnable task) {
		if (!this.thread.isAlive()) {
			return;
		}
		this.tasks.add(task);
		this.selector.wakeup();
	}

	private void loop() {
		try {
			while (this.running) {
				if (this.opening.getCount() > 0) {
					connectMore();
				}
				this.selector.select(selectTimeout());
				Runnable task;
				while ((task = this.tasks.poll()) != null) {
					task.run();
				}
				Iterator<SelectionKey> selected = this.selector.selectedKeys().iterator();
				while (selected.hasNext()) {
					SelectionKey key = selected.next();
					selected.remove();
					ready(key, (Connection) key.attachment());
				}
				long now = System.nanoTime();
				sendDue(now);
				if (this.opening.getCount() > 0) {
					expireHandshakes(now);
				}
				if (this.closingUntil != 0 && (now > this.closingUntil || this.connections.stream()
					.allMatch((c) -> c.state == State.CLOSED || c.state == State.FAILED))) {
					this.running = false;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			this.firstFailure = (this.firstFailure != null) ? this.firstFailure : RpcClient.describe(ex);
		}
		finally {
			for (Connection connection : this.connections) {
				closeSocket(connection);
			}
			for (Connection connection : this.handshaking) {
				closeSocket(connection);
			}
			try {
				this.selector.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
			this.opening.countDown();
			this.stopped.countDown();
		}
	}

	private long selectTimeout() {
		Due first = this.due.peek();
		long timeout = (this.opening.getCount() > 0 || this.closingUntil != 0) ? 100 : 1000;
		if (first != null) {
			timeout = Math.min(timeout, Math.max(1, (first.at - System.nanoTime()) / 1_000_000));
		}
		return timeout;
	}

	private void connectMore() {
		while (this.pending < Bench.MAX_PENDING_HANDSHAKES && this.next < this.settings.connections()) {
			Connection connection = new Connection(this.next++);
			this.pending++;
			this.handshaking.add(connection);
			try {
				SocketChannel channel = SocketChannel.open();
				connection.channel = channel;
				channel.configureBlocking(false);
				channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
				if (channel.connect(this.address)) {
					connected(connection);
				}
				else {
					connection.key = channel.register(this.selector, SelectionKey.OP_CONNECT, connection);
				}
			}
			catch (IOException ex) {
				fail(connection, RpcClient.describe(ex));
			}
		}
		if (this.pending == 0 && this.next == this.settings.connections()) {
			this.opening.countDown();
		}
	}

	private void connected(Connection connection) throws IOException {
		SocketChannel channel = connection.channel;
		connection.state = State.HANDSHAKE;
		connection.key = channel.register(this.selector, SelectionKey.OP_READ, connection);
		append(connection, this.handshake, 0, this.handshake.length);
		flush(connection);
	}

	private void expireHandshakes(long now) {
		long timeout = this.settings.options().connectTimeout().toNanos();
		while (!this.handshaking.isEmpty()) {
			Connection oldest = this.handshaking.peek();
			if (oldest.state != State.CONNECTING && oldest.state != State.HANDSHAKE) {
				this.handshaking.poll();
			}
			else if (now - oldest.createdAt > timeout) {
				this.handshaking.poll();
				fail(oldest, "timed out");
			}
			else {
				return;
			}
		}
	}

	private void fail(Connection connection, String why) {
		connection.state = State.FAILED;
		closeSocket(connection);
		this.bench.failed.increment();
		if (this.firstFailure == null) {
			this.firstFailure = why;
		}
		this.pending--;
	}

	private void ready(SelectionKey key, Connection connection) {
		try {
			if (!key.isValid()) {
				return;
			}
			if (key.isConnectable()) {
				connection.channel.finishConnect();
				connected(connection);
				return;
			}
			if (key.isWritable()) {
				write(connection);
			}
			if (key.isValid() && key.isReadable()) {
				read(connection);
			}
			flushTouched();
		}
		catch (IOException | CancelledKeyException ex) {
			if (connection.state == State.CONNECTING || connection.state == State.HANDSHAKE) {
				fail(connection, RpcClient.describe(ex));
			}
			else {
				ended(connection);
			}
		}
	}

	private void read(Connection connection) throws IOException {
		int from = 0;
		if (connection.leftoverLength > 0) {
			from = connection.leftoverLength;
			ensureIn(from + 4096);
			System.arraycopy(connection.leftover, 0, this.in, 0, from);
			connection.leftoverLength = 0;
		}
		this.inView.limit(this.in.length).position(from);
		int read = connection.channel.read(this.inView);
		if (read < 0) {
			if (connection.state == State.HANDSHAKE) {
				fail(connection, "the server closed the connection during the handshake");
			}
			else {
				ended(connection);
			}
			return;
		}
		int end = from + read;
		int position = 0;
		if (connection.state == State.HANDSHAKE) {
			position = handshake(connection, end);
			if (position < 0) {
				return;
			}
		}
		int needed = 0;
		while (end - position >= 2 && connection.state != State.CLOSED && connection.state != State.FAILED) {
			int length = frameLength(position, end);
			if (length < 0 || end - position < length) {
				needed = Math.max(length, 0);
				break;
			}
			frame(connection, position);
			position += length;
		}
		if (position < end && connection.state != State.CLOSED && connection.state != State.FAILED) {
			int left = end - position;
			if (connection.leftover.length < Math.max(left, needed)) {
				connection.leftover = new byte[Math.max(Math.max(left, needed), connection.leftover.length * 2)];
			}
			System.arraycopy(this.in, position, connection.leftover, 0, left);
			connection.leftoverLength = left;
			ensureIn(Math.max(needed, left) + 4096);
		}
	}

	private void ensureIn(int size) {
		if (this.in.length < size) {
			this.in = Arrays.copyOf(this.in, Math.max(size, this.in.length * 2));
			this.inView = ByteBuffer.wrap(this.in);
		}
	}

	/**
	 * Reads the handshake's response once it is whole.
	 * @return where the frames after it begin, or -1 while it is incomplete or failed
	 */
	private int handshake(Connection connection, int end) {
		int headerEnd = indexOf(this.in, 0, end, HEADER_END);
		if (headerEnd < 0) {
			if (end > MAX_HANDSHAKE_RESPONSE) {
				fail(connection, "the handshake's response has no end");
			}
			else {
				connection.leftover = Arrays.copyOf(this.in, Math.max(end, connection.leftover.length));
				connection.leftoverLength = end;
			}
			return -1;
		}
		String response = new String(this.in, 0, headerEnd, StandardCharsets.ISO_8859_1);
		String[] lines = response.split("\r\n");
		String[] status = lines[0].split(" ", 3);
		if (status.length < 2 || !status[1].equals("101")) {
			fail(connection, "the server refused the WebSocket handshake with HTTP "
					+ ((status.length >= 2) ? status[1] : lines[0]));
			return -1;
		}
		String accepted = null;
		for (String line : lines) {
			int colon = line.indexOf(':');
			if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Accept")) {
				accepted = line.substring(colon + 1).trim();
			}
		}
		if (!this.accept.equals(accepted)) {
			fail(connection, "the server's Sec-WebSocket-Accept (" + accepted + ") does not answer the key sent");
			return -1;
		}
		connection.state = State.OPEN;
		this.connections.add(connection);
		this.opened++;
		this.pending--;
		return headerEnd + HEADER_END.length;
	}

	private static int indexOf(byte[] bytes, int from, int to, byte[] sought) {
		outer: for (int i = from; i <= to - sought.length; i++) {
			for (int j = 0; j < sought.length; j++) {
				if (bytes[i + j] != sought[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	/**
	 * The length of the frame at a position, header included, or -1 while its header is
	 * incomplete.
	 */
	private int frameLength(int position, int end) {
		int second = this.in[position + 1] & 0xff;
		int header = 2 + (((second & 0x80) != 0) ? 4 : 0);
		long length = second & 0x7f;
		if (length == 126) {
			if (end - position < 4) {
				return -1;
			}
			length = ((this.in[position + 2] & 0xff) << 8) | (this.in[position + 3] & 0xff);
			header += 2;
		}
		else if (length == 127) {
			if (end - position < 10) {
				return -1;
			}
			length = 0;
			for (int i = 2; i < 10; i++) {
				length = (length << 8) | (this.in[position + i] & 0xff);
			}
			header += 8;
		}
		if (length > Integer.MAX_VALUE - 64) {
			throw new IllegalStateException("The server sent a frame of " + length + " bytes");
		}
		return header + (int) length;
	}

	private void frame(Connection connection, int position) {
		byte[] bytes = this.in;
		int first = bytes[position] & 0xff;
		int second = bytes[position + 1] & 0xff;
		boolean fin = (first & 0x80) != 0;
		int opcode = first & 0x0f;
		int length = second & 0x7f;
		int payload = position + 2;
		if (length == 126) {
			length = ((bytes[position + 2] & 0xff) << 8) | (bytes[position + 3] & 0xff);
			payload += 2;
		}
		else if (length == 127) {
			length = (int) ByteBuffer.wrap(bytes, position + 2, 8).getLong();
			payload += 8;
		}
		if ((second & 0x80) != 0) {
			int mask = payload;
			payload += 4;
			for (int i = 0; i < length; i++) {
				bytes[payload + i] ^= bytes[mask + (i & 3)];
			}
		}
		if (opcode == 0x1 && fin && connection.fragments == null) {
			message(connection, bytes, payload, payload + length);
		}
		else if (opcode == 0x1 || opcode == 0x2 || opcode == 0x0) {
			fragment(connection, opcode, fin, bytes, payload, length);
		}
		else if (opcode == 0x8) {
			if (connection.state == State.OPEN) {
				writeFrame(connection, 0x8, bytes, payload, Math.min(length, 2));
				flush(connection);
			}
			ended(connection);
		}
		else if (opcode == 0x9) {
			writeFrame(connection, 0xA, bytes, payload, length);
		}
	}

	private void fragment(Connection connection, int opcode, boolean fin, byte[] bytes, int from, int length) {
		FragmentBuffer fragments = connection.fragments;
		if (fragments == null) {
			fragments = new FragmentBuffer(opcode);
			connection.fragments = fragments;
		}
		fragments.append(bytes, from, length);
		if (fin) {
			connection.fragments = null;
			if (fragments.opcode == 0x1) {
				message(connection, fragments.bytes, 0, fragments.length);
			}
		}
	}

	/**
	 * Takes one text message: matches it to its call, checks it and sends the next call
	 * in its slot.
	 */
	private void message(Connection connection, byte[] bytes, int from, int to) {
		long now = System.nanoTime();
		Bench bench = this.bench;
		boolean reply = this.scanner.scan(bytes, from, to) && this.scanner.idFrom() >= 0
				&& (this.jsonRpc || this.scanner.statusFrom() >= 0 || bench.settings.echo());
		long id = reply ? parseId(bytes, this.scanner.idFrom(), this.scanner.idTo()) : -1;
		if (id <= 0) {
			bench.duplicate.increment();
			return;
		}
		int slot = (int) (id % this.slots);
		long held = connection.ids[slot];
		if (held != id && held != -id) {
			bench.duplicate.increment();
			return;
		}
		boolean measured = held > 0;
		long sent = connection.sentAt[slot];
		connection.ids[slot] = 0;
		bench.outstanding.decrementAndGet();
		bench.answered.increment();
		if (measured) {
			bench.lastReplyAt = now;
			if (!isOk(bytes)) {
				bench.errors.increment();
			}
			else if (check(id, connection.index, bytes)) {
				bench.ok.increment();
			}
			else {
				bench.wrong.increment();
			}
			bench.latency.recordValue(now - sent);
		}
		next(connection, slot);
	}

	private boolean isOk(byte[] bytes) {
		if (this.bench.settings.echo()) {
			return true;
		}
		if (this.jsonRpc) {
			return !this.scanner.errorSeen();
		}
		return this.scanner.statusTo() - this.scanner.statusFrom() == 4 && bytes[this.scanner.statusFrom() + 1] == 'o'
				&& bytes[this.scanner.statusFrom() + 2] == 'k';
	}

	private boolean check(long id, int connection, byte[] bytes) {
		if (this.bench.settings.echo()) {
			return true;
		}
		if (this.scanner.resultFrom() < 0) {
			return !this.bench.generated && this.bench.checkExpected(NullNode.getInstance());
		}
		if (this.bench.generated) {
			long sum = id + connection;
			long value = ReplyScanner.parseInteger(bytes, this.scanner.resultFrom(), this.scanner.resultTo());
			if (value != Long.MIN_VALUE) {
				return value == sum;
			}
			try {
				return new BigDecimal(new String(bytes, this.scanner.resultFrom(),
						this.scanner.resultTo() - this.scanner.resultFrom(), StandardCharsets.US_ASCII))
					.compareTo(BigDecimal.valueOf(sum)) == 0;
			}
			catch (NumberFormatException ex) {
				return false;
			}
		}
		byte[] expected = this.expectedResult;
		if (expected != null && Arrays.equals(expected, 0, expected.length, bytes, this.scanner.resultFrom(),
				this.scanner.resultTo())) {
			return true;
		}
		JsonNode result;
		try {
			result = this.bench.frames.mapper()
				.readTree(bytes, this.scanner.resultFrom(), this.scanner.resultTo() - this.scanner.resultFrom());
		}
		catch (JacksonException ex) {
			return false;
		}
		boolean right = this.bench.checkExpected(result);
		if (right && expected == null) {
			this.expectedResult = Arrays.copyOfRange(bytes, this.scanner.resultFrom(), this.scanner.resultTo());
		}
		return right;
	}

	private static long parseId(byte[] bytes, int from, int to) {
		long id = ReplyScanner.parseInteger(bytes, from, to);
		return (id == Long.MIN_VALUE) ? -1 : id;
	}

	private void next(Connection connection, int slot) {
		if (this.bench.finished) {
			return;
		}
		if (this.intervalNanos == 0) {
			send(connection, slot);
			return;
		}
		long now = System.nanoTime();
		long at = Math.max(now, connection.nextStart);
		connection.nextStart = at + this.intervalNanos;
		if (at >= this.bench.stopAt) {
			return;
		}
		if (at <= now) {
			send(connection, slot);
		}
		else {
			this.due.add(new Due(at, connection, slot));
		}
	}

	private void sendDue(long now) {
		Due first;
		while ((first = this.due.peek()) != null && first.at <= now) {
			this.due.poll();
			if (first.connection.state == State.OPEN) {
				send(first.connection, first.slot);
			}
		}
		flushTouched();
	}

	private void send(Connection connection, int slot) {
		Bench bench = this.bench;
		long now = System.nanoTime();
		boolean measured = now >= bench.measureFrom;
		if (now >= bench.stopAt) {
			return;
		}
		// counted before the budget is taken, so that no call is sent unseen once the
		// budget is spent
		bench.outstanding.incrementAndGet();
		if (measured && bench.settings.requests() > 0 && bench.budget.getAndDecrement() <= 0) {
			bench.outstanding.decrementAndGet();
			return;
		}
		long id = ++connection.round * this.slots + slot;
		connection.ids[slot] = measured ? id : -id;
		connection.sentAt[slot] = now;
		if (measured) {
			bench.sentMeasured.incrementAndGet();
		}
		writeRequest(connection, id);
	}

	/**
	 * Writes a request as a masked text frame: the part before the first id comes masked
	 * already, the rest is masked as it is written.
	 */
	private void writeRequest(Connection connection, long id) {
		int digits = digits(id);
		byte[] head = connection.maskedHead;
		byte[] middle = connection.middle;
		int length = head.length + digits + 1 + ((middle != null) ? middle.length + digits : 0);
		int payload = header(connection, 0x1, length);
		byte[] out = connection.out;
		System.arraycopy(head, 0, out, payload, head.length);
		int i = payload + head.length;
		i = writeDigits(out, i, id, digits);
		if (middle != null) {
			System.arraycopy(middle, 0, out, i, middle.length);
			i = writeDigits(out, i + middle.length, id, digits);
		}
		out[i++] = '}';
		byte[] mask = connection.mask;
		for (int j = payload + head.length; j < i; j++) {
			out[j] ^= mask[(j - payload) & 3];
		}
		connection.outLength = i;
		touch(connection);
	}

	private void writeFrame(Connection connection, int opcode, byte[] bytes, int from, int length) {
		int payload = header(connection, opcode, length);
		byte[] out = connection.out;
		byte[] mask = connection.mask;
		for (int j = 0; j < length; j++) {
			out[payload + j] = (byte) (bytes[from + j] ^ mask[j & 3]);
		}
		connection.outLength = payload + length;
		touch(connection);
	}

	/**
	 * Writes a frame's header, with the connection's mask, and makes room for its
	 * payload.
	 * @return where the payload begins
	 */
	private static int header(Connection connection, int opcode, int length) {
		connection.reserve(14 + length);
		byte[] out = connection.out;
		int i = connection.outLength;
		out[i++] = (byte) (0x80 | opcode);
		if (length < 126) {
			out[i++] = (byte) (0x80 | length);
		}
		else if (length < 65536) {
			out[i++] = (byte) (0x80 | 126);
			out[i++] = (byte) (length >>> 8);
			out[i++] = (byte) length;
		}
		else {
			out[i++] = (byte) (0x80 | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				out[i++] = (byte) (((long) length) >>> shift);
			}
		}
		System.arraycopy(connection.mask, 0, out, i, 4);
		return i + 4;
	}

	private static int digits(long value) {
		int digits = 1;
		for (long rest = value / 10; rest > 0; rest /= 10) {
			digits++;
		}
		return digits;
	}

	private static int writeDigits(byte[] out, int at, long value, int digits) {
		long rest = value;
		for (int i = at + digits - 1; i >= at; i--) {
			out[i] = (byte) ('0' + rest % 10);
			rest /= 10;
		}
		return at + digits;
	}

	private void append(Connection connection, byte[] bytes, int from, int length) {
		connection.reserve(length);
		System.arraycopy(bytes, from, connection.out, connection.outLength, length);
		connection.outLength += length;
	}

	private void touch(Connection connection) {
		if (!connection.touched) {
			connection.touched = true;
			this.touched.add(connection);
		}
	}

	private void flushTouched() {
		for (int i = 0; i < this.touched.size(); i++) {
			flush(this.touched.get(i));
		}
		this.touched.clear();
	}

	private void flush(Connection connection) {
		connection.touched = false;
		if (connection.outLength > connection.outFrom && !connection.waitingToWrite) {
			try {
				write(connection);
			}
			catch (IOException ex) {
				ended(connection);
			}
		}
	}

	/**
	 * Writes what the connection has to send; what the socket does not take waits for it
	 * to be writable again.
	 */
	private void write(Connection connection) throws IOException {
		ByteBuffer view = connection.outView;
		view.limit(connection.outLength).position(connection.outFrom);
		connection.channel.write(view);
		SelectionKey key = connection.key;
		if (view.hasRemaining()) {
			connection.outFrom = view.position();
			if (!connection.waitingToWrite && key != null) {
				connection.waitingToWrite = true;
				key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
			}
		}
		else {
			connection.outFrom = 0;
			connection.outLength = 0;
			if (connection.waitingToWrite && key != null) {
				connection.waitingToWrite = false;
				key.interestOps(SelectionKey.OP_READ);
			}
		}
	}

	/**
	 * A connection that ends, by the server's close, an end of stream or an error:
	 * dropped unless the run is over.
	 */
	private void ended(Connection connection) {
		if (connection.state == State.CLOSED || connection.state == State.FAILED) {
			return;
		}
		boolean open = connection.state == State.OPEN;
		connection.state = State.CLOSED;
		closeSocket(connection);
		if (open && !this.bench.finished) {
			this.bench.dropped.increment();
		}
	}

	private static void closeSocket(Connection connection) {
		SocketChannel channel = connection.channel;
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// closed anyway
			}
		}
	}

	private enum State {

		CONNECTING, HANDSHAKE, OPEN, CLOSING, CLOSED, FAILED

	}

	/** A call that a connection starts at a time of the schedule. */
	private record Due(long at, Connection connection, int slot) implements Comparable<Due> {

		@Override
		public int compareTo(Due other) {
			return Long.compare(this.at, other.at);
		}

	}

	/** The frames of a message that came in parts. */
	private static final class FragmentBuffer {

		private final int opcode;

		private byte[] bytes = new byte[1024];

		private int length;

		FragmentBuffer(int opcode) {
			this.opcode = opcode;
		}

		void append(byte[] from, int offset, int count) {
			if (this.length + count > this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes, Math.max(this.length + count, this.bytes.length * 2));
			}
			System.arraycopy(from, offset, this.bytes, this.length, count);
			this.length += count;
		}

	}

	/**
	 * One connection, with one slot per call in flight, as in {@link Bench}: a reply
	 * frees its slot and the next call takes it; the slot is part of the request id
	 * ({@code id = round * slots + slot}). Its requests are the bytes
	 * {@code head id [middle id] "}"}, masked with a key of its own.
	 */
	private final class Connection {

		final int index;

		final long[] ids;

		final long[] sentAt;

		final long createdAt = System.nanoTime();

		final byte[] mask = new byte[4];

		final byte[] maskedHead;

		final byte @Nullable [] middle;

		SocketChannel channel;

		@Nullable SelectionKey key;

		State state = State.CONNECTING;

		byte[] out;

		ByteBuffer outView;

		int outFrom;

		int outLength;

		boolean waitingToWrite;

		boolean touched;

		byte[] leftover = new byte[0];

		int leftoverLength;

		@Nullable FragmentBuffer fragments;

		long round;

		long nextStart;

		Connection(int index) {
			this.index = index;
			this.ids = new long[NioConnections.this.slots];
			this.sentAt = new long[NioConnections.this.slots];
			new SplittableRandom(index * 31L + 7).nextBytes(this.mask);
			Bench bench = NioConnections.this.bench;
			String head;
			String middle = null;
			if (bench.generated) {
				head = bench.requestPrefix + ",\"params\":{\"a\":";
				middle = ",\"b\":" + index + "}" + bench.requestSuffix;
			}
			else {
				head = bench.requestPrefix + (bench.fixedParams.isEmpty() ? "" : ",\"params\":" + bench.fixedParams)
						+ bench.requestSuffix;
			}
			this.maskedHead = head.getBytes(StandardCharsets.UTF_8);
			for (int i = 0; i < this.maskedHead.length; i++) {
				this.maskedHead[i] ^= this.mask[i & 3];
			}
			this.middle = (middle != null) ? middle.getBytes(StandardCharsets.UTF_8) : null;
			this.out = new byte[Math.max(256, Math.min(64 * 1024, 128 * NioConnections.this.slots))];
			this.outView = ByteBuffer.wrap(this.out);
		}

		void reserve(int bytes) {
			if (this.outLength + bytes <= this.out.length) {
				return;
			}
			int pending = this.outLength - this.outFrom;
			byte[] target = (pending + bytes <= this.out.length) ? this.out
					: new byte[Math.max(pending + bytes, this.out.length * 2)];
			System.arraycopy(this.out, this.outFrom, target, 0, pending);
			this.out = target;
			this.outView = ByteBuffer.wrap(target);
			this.outFrom = 0;
			this.outLength = pending;
		}

	}

}
