package io.wsrpc.cli;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WebSocket server on a plain socket, one thread per connection, that answers each text
 * message with what a function makes of it, for the cases a real server does not produce:
 * wrong results, replies in fragments and in parts over several writes, pings, a wrong
 * {@code Sec-WebSocket-Accept}. Counts the frames it got unmasked (RFC 6455 closes the
 * connection for those; this server counts them and goes on) and the pongs.
 */
final class FakeWebSocketServer implements AutoCloseable {

	private final ServerSocket socket;

	private final Function<JsonNode, String> answer;

	private final Mode mode;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final AtomicInteger unmasked = new AtomicInteger();

	private final AtomicInteger pongs = new AtomicInteger();

	FakeWebSocketServer(Mode mode, Function<JsonNode, String> answer) throws IOException {
		this.socket = new ServerSocket(0);
		this.mode = mode;
		this.answer = answer;
		Thread acceptor = new Thread(this::accept, "fake-ws-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	String url() {
		return "ws://localhost:" + this.socket.getLocalPort() + "/ws";
	}

	int unmasked() {
		return this.unmasked.get();
	}

	int pongs() {
		return this.pongs.get();
	}

	private void accept() {
		while (!this.socket.isClosed()) {
			try {
				Socket connection = this.socket.accept();
				Thread thread = new Thread(() -> serve(connection), "fake-ws");
				thread.setDaemon(true);
				thread.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket connection) {
		try (connection) {
			connection.setTcpNoDelay(true);
			DataInputStream in = new DataInputStream(connection.getInputStream());
			OutputStream out = connection.getOutputStream();
			String key = handshakeKey(in);
			String accept = (this.mode == Mode.WRONG_ACCEPT) ? accept(key + "x") : accept(key);
			out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
					+ "Sec-WebSocket-Accept: " + accept + "\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			int replies = 0;
			while (true) {
				int first = in.readUnsignedByte();
				int second = in.readUnsignedByte();
				long length = second & 0x7f;
				if (length == 126) {
					length = in.readUnsignedShort();
				}
				else if (length == 127) {
					length = in.readLong();
				}
				byte[] mask = new byte[4];
				if ((second & 0x80) != 0) {
					in.readFully(mask);
				}
				else {
					this.unmasked.incrementAndGet();
				}
				byte[] payload = new byte[(int) length];
				in.readFully(payload);
				for (int i = 0; i < payload.length; i++) {
					payload[i] ^= mask[i & 3];
				}
				int opcode = first & 0x0f;
				if (opcode == 0x8) {
					out.write(frame(0x88, payload));
					return;
				}
				if (opcode == 0xA) {
					this.pongs.incrementAndGet();
				}
				else if (opcode == 0x1) {
					String reply = this.answer.apply(this.mapper.readTree(payload));
					send(out, reply, replies++);
				}
			}
		}
		catch (IOException ex) {
			// the client went away
		}
	}

	private void send(OutputStream out, String reply, int count) throws IOException {
		if (this.mode != Mode.IN_PARTS) {
			out.write(frame(0x81, reply.getBytes(StandardCharsets.UTF_8)));
			out.flush();
			return;
		}
		if (count % 5 == 0) {
			out.write(frame(0x89, "are you there".getBytes(StandardCharsets.UTF_8)));
		}
		// padded past 125 bytes for a 16-bit length, in two fragments, written in two
		// parts
		byte[] text = String.format(Locale.ROOT, "%-200s", reply).getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream frames = new ByteArrayOutputStream();
		frames.write(frame(0x01, java.util.Arrays.copyOfRange(text, 0, 150)));
		frames.write(frame(0x80, java.util.Arrays.copyOfRange(text, 150, text.length)));
		byte[] bytes = frames.toByteArray();
		out.write(bytes, 0, 100);
		out.flush();
		try {
			Thread.sleep(2);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		out.write(bytes, 100, bytes.length - 100);
		out.flush();
	}

	private static byte[] frame(int first, byte[] payload) {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write(first);
		if (payload.length < 126) {
			frame.write(payload.length);
		}
		else {
			frame.write(126);
			frame.write(payload.length >>> 8);
			frame.write(payload.length & 0xff);
		}
		frame.writeBytes(payload);
		return frame.toByteArray();
	}

	private static String handshakeKey(InputStream in) throws IOException {
		StringBuilder request = new StringBuilder();
		while (!request.toString().endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("no handshake");
			}
			request.append((char) b);
		}
		return request.toString()
			.lines()
			.filter((line) -> line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:"))
			.map((line) -> line.substring(line.indexOf(':') + 1).trim())
			.findFirst()
			.orElseThrow(() -> new IOException("no Sec-WebSocket-Key"));
	}

	private static String accept(String key) {
		try {
			return Base64.getEncoder()
				.encodeToString(MessageDigest.getInstance("SHA-1")
					.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	enum Mode {

		/** Each reply in one frame, in one write. */
		PLAIN,

		/**
		 * Each reply in two fragments written in two parts, and a ping before every
		 * fifth.
		 */
		IN_PARTS,

		/** A {@code Sec-WebSocket-Accept} for another key. */
		WRONG_ACCEPT

	}

}
