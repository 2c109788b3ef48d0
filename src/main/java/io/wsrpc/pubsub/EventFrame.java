package io.wsrpc.pubsub;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An event frame as one protocol writes it, with its UTF-8 bytes encoded once for every
 * subscriber that gets it.
 *
 * @param text the frame
 * @param utf8 its UTF-8 bytes, read-only; read them through {@link #bytes()}
 */
public record EventFrame(String text, ByteBuffer utf8) {

	/**
	 * Encodes a frame.
	 * @param text the frame
	 * @return the frame with its bytes
	 */
	public static EventFrame of(String text) {
		return new EventFrame(text, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());
	}

	/**
	 * The bytes, in a buffer of the caller's own that shares them.
	 * @return a buffer positioned at the first byte
	 */
	public ByteBuffer bytes() {
		return this.utf8.duplicate();
	}

}
