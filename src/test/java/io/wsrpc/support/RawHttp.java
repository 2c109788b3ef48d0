package io.wsrpc.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * HTTP/1.1 written by hand on a socket, for what {@code java.net.http} hides from a test:
 * the headers of a {@code 101 Switching Protocols}, and the client's own address. Reads
 * only the status line and headers of the response, at most 10 s.
 */
public final class RawHttp {

	private static final int TIMEOUT_MILLIS = 10_000;

	private RawHttp() {
	}

	/**
	 * A WebSocket opening handshake for a path on {@code localhost}.
	 */
	public static String upgradeRequest(String path) {
		return """
				GET %s HTTP/1.1\r
				Host: localhost\r
				Upgrade: websocket\r
				Connection: Upgrade\r
				Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
				Sec-WebSocket-Version: 13\r
				\r
				""".formatted(path);
	}

	/**
	 * A plain GET for a path on {@code localhost}, asking the server to close afterwards.
	 */
	public static String getRequest(String path) {
		return """
				GET %s HTTP/1.1\r
				Host: localhost\r
				Connection: close\r
				\r
				""".formatted(path);
	}

	/**
	 * Sends a request on an open socket and reads the head of the response.
	 */
	public static Head exchange(Socket socket, String request) throws IOException {
		socket.setSoTimeout(TIMEOUT_MILLIS);
		socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
		socket.getOutputStream().flush();
		return Head.parse(readHead(socket.getInputStream()));
	}

	/**
	 * Sends a request from a local address to the same address on a port, so that the
	 * server sees that address as the remote one while nothing leaves the machine.
	 */
	public static Head exchange(InetAddress address, int port, String request) throws IOException {
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress(address, 0));
			socket.connect(new InetSocketAddress(address, port), TIMEOUT_MILLIS);
			return exchange(socket, request);
		}
	}

	/**
	 * Finds an IPv4 address of this machine that is not loopback: one of an interface
	 * that is up.
	 * @return the address, or empty if the machine has none
	 */
	public static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
		return NetworkInterface.networkInterfaces()
			.filter(RawHttp::isUpAndNotLoopback)
			.flatMap(NetworkInterface::inetAddresses)
			.filter((address) -> address instanceof Inet4Address && !address.isLoopbackAddress())
			.findFirst();
	}

	private static boolean isUpAndNotLoopback(NetworkInterface networkInterface) {
		try {
			return networkInterface.isUp() && !networkInterface.isLoopback();
		}
		catch (SocketException ex) {
			return false;
		}
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] end = { '\r', '\n', '\r', '\n' };
		while (matched < end.length) {
			int read = in.read();
			if (read < 0) {
				throw new IOException("The connection ended inside the response head: " + head);
			}
			head.write(read);
			matched = (read == end[matched]) ? matched + 1 : ((read == end[0]) ? 1 : 0);
		}
		return head.toString(StandardCharsets.ISO_8859_1);
	}

	/**
	 * The status and headers of a response; header names in any case.
	 *
	 * @param status the status code
	 * @param headers the values of each header, in the order sent
	 */
	public record Head(int status, Map<String, List<String>> headers) {

		static Head parse(String text) {
			String[] lines = text.split("\r\n");
			int status = Integer.parseInt(lines[0].split(" ")[1]);
			Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				if (colon > 0) {
					headers.computeIfAbsent(lines[i].substring(0, colon).trim(), (name) -> new ArrayList<>())
						.add(lines[i].substring(colon + 1).trim());
				}
			}
			return new Head(status, headers);
		}

		/**
		 * The first value of a header.
		 * @param name the header's name, in any case
		 * @return the value, or empty if the response has no such header
		 */
		public Optional<String> header(String name) {
			List<String> values = this.headers.get(name);
			return (values != null) ? Optional.of(values.get(0)) : Optional.empty();
		}

	}

}
