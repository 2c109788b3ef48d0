package io.wsrpc.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An RFC 6455 client on a plain socket, for tests that need what a well-behaved client
 * never does: invalid UTF-8 in a text frame, fragments split inside a character, several
 * messages in one TCP write, pings left unanswered, replies left unread. It answers pings
 * only when told to, reads only when asked, and fails a read that waits longer than
 * {@value #WAIT_SECONDS} seconds.
 */
public final class RawWebSocket implements AutoCloseable {

	public static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;

	private static final int WAIT_SECONDS = 10;

	private static final SecureRandom random = new SecureRandom();

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private volatile boolean answerPings;

	private RawWebSocket(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new BufferedInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
		socket.setSoTimeout(WAIT_SECONDS * 1000);
	}

	/**
	 * One frame from the server; {@code code()} and {@code reason()} read a close frame.
	 */
	public record Frame(boolean fin, int opcode, byte[] payload) {

		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		public int code() {
			return (this.payload.length >= 2) ? ((this.payload[0] & 0xFF) << 8 | (this.payload[1] & 0xFF)) : 1005;
		}

		public String reason() {
			return (this.payload.length > 2)
					? new String(this.payload, 2, this.payload.length - 2, StandardCharsets.UTF_8) : "";
		}

	}

	/** Opens a connection to {@code ws://localhost:port/path}, checking the handshake. */
	public static RawWebSocket connect(int port, String path) throws IOException {
		RawWebSocket webSocket = new RawWebSocket(new Socket(InetAddress.getLoopbackAddress(), port));
		byte[] nonce = new byte[16];
		random.nextBytes(nonce);
		String key = Base64.getEncoder().encodeToString(nonce);
		webSocket.out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
				+ "\r\nSec-WebSocket-Version: 13\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
			head.write(webSocket.readByte());
		}
		String response = head.toString(StandardCharsets.US_ASCII);
		assertThat(response).startsWith("HTTP/1.1 101 ").containsIgnoringCase("Sec-WebSocket-Accept: " + accept(key));
		return webSocket;
	}

	private static String accept(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1")
				.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Answers every ping read from now on with a pong, as browsers do. */
	public RawWebSocket answeringPings() {
		this.answerPings = true;
		return this;
	}

	/** Sends one masked frame of any opcode, in one TCP write. */
	public RawWebSocket send(int opcode, boolean fin, byte[] payload) throws IOException {
		return write(frame(opcode, fin, payload));
	}

	/** Sends each text as a whole text message, all in one TCP write. */
	public RawWebSocket sendText(String... texts) throws IOException {
		ByteArrayOutputStream frames = new ByteArrayOutputStream();
		for (String text : texts) {
			frames.writeBytes(frame(TEXT, true, text.getBytes(StandardCharsets.UTF_8)));
		}
		return write(frames.toByteArray());
	}

	private synchronized RawWebSocket write(byte[] bytes) throws IOException {
		this.out.write(bytes);
		this.out.flush();
		return this;
	}

	private static byte[] frame(int opcode, boolean fin, byte[] payload) {
		ByteBuffer frame = ByteBuffer.allocate(14 + payload.length);
		frame.put((byte) ((fin ? 0x80 : 0) | opcode));
		if (payload.length < 126) {
			frame.put((byte) (0x80 | payload.length));
		}
		else if (payload.length < 65536) {
			frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
		}
		else {
			frame.put((byte) (0x80 | 127)).putLong(payload.length);
		}
		byte[] mask = new byte[4];
		random.nextBytes(mask);
		frame.put(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.put((byte) (payload[i] ^ mask[i % 4]));
		}
		return Arrays.copyOf(frame.array(), frame.position());
	}

	/**
	 * Reads the next frame, answering a ping first if told to.
	 * @throws EOFException if the server closed the TCP connection without a close frame
	 * @throws java.net.SocketException if the connection was reset
	 */
	public Frame nextFrame() throws IOException {
		int first = readByte();
		int second = readByte();
		assertThat(second & 0x80).as("mask bit of a frame from the server").isZero();
		long length = second & 0x7F;
		if (length == 126) {
			length = (readByte() << 8) | readByte();
		}
		else if (length == 127) {
			length = ByteBuffer.wrap(readBytes(8)).getLong();
		}
		Frame frame = new Frame((first & 0x80) != 0, first & 0x0F, readBytes((int) length));
		if (frame.opcode() == PING && this.answerPings) {
			send(PONG, true, frame.payload());
		}
		return frame;
	}

	/**
	 * Waits a while for a frame to start.
	 * @return the frame, or {@code null} if none started within the wait
	 */
	public Frame nextFrame(Duration wait) throws IOException {
		this.socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
		try {
			this.in.mark(1);
			this.in.read();
			this.in.reset();
		}
		catch (SocketTimeoutException ex) {
			return null;
		}
		finally {
			this.socket.setSoTimeout(WAIT_SECONDS * 1000);
		}
		return nextFrame();
	}

	/**
	 * Reads the next text message, skipping pings and pongs; the server sends each of its
	 * messages here in one frame.
	 */
	public String nextText() throws IOException {
		Frame frame = nextFrame();
		while (frame.opcode() == PING || frame.opcode() == PONG) {
			frame = nextFrame();
		}
		assertThat(frame.opcode()).as("opcode of a frame expected to be text; it holds %s", frame.text())
			.isEqualTo(TEXT);
		assertThat(frame.fin()).as("whether the text frame is a whole message").isTrue();
		return frame.text();
	}

	/**
	 * Reads frames, whatever they are, up to the close frame, and returns it; fails if
	 * none comes within {@value #WAIT_SECONDS} seconds, however many other frames do.
	 */
	public Frame awaitClose() throws IOException {
		long deadline = System.nanoTime() + Duration.ofSeconds(WAIT_SECONDS).toNanos();
		Frame frame;
		do {
			frame = nextFrame(Duration.ofNanos(deadline - System.nanoTime()));
			if (frame == null) {
				throw new AssertionError("The server did not close the connection within " + WAIT_SECONDS + " s");
			}
		}
		while (frame.opcode() != CLOSE);
		return frame;
	}

	private int readByte() throws IOException {
		return readBytes(1)[0] & 0xFF;
	}

	private byte[] readBytes(int count) throws IOException {
		try {
			byte[] bytes = this.in.readNBytes(count);
			if (bytes.length < count) {
				throw new EOFException("The server closed the connection without a close frame");
			}
			return bytes;
		}
		catch (SocketTimeoutException ex) {
			throw new AssertionError("Nothing came from the server within " + WAIT_SECONDS + " s", ex);
		}
	}

	/** Sends a close frame (1000) if it still can, and closes the socket. */
	@Override
	public void close() throws IOException {
		try {
			send(CLOSE, true, new byte[] { 0x03, (byte) 0xE8 });
		}
		catch (IOException ex) {
			// the server is gone already
		}
		this.socket.close();
	}

}
