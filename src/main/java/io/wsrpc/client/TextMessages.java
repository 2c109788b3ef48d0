package io.wsrpc.client;

import org.jspecify.annotations.Nullable;

/**
 * Joins the partial text frames the JDK's WebSocket delivers into whole messages. One per
 * connection; the JDK calls a listener for one connection on one thread at a time.
 */
public final class TextMessages {

	private final StringBuilder partial = new StringBuilder();

	/**
	 * Takes the next part of a message.
	 * @param data the part
	 * @param last whether it ends the message
	 * @return the whole message once {@code last}, otherwise {@code null}
	 */
	public @Nullable String append(CharSequence data, boolean last) {
		if (last && this.partial.length() == 0) {
			return data.toString();
		}
		this.partial.append(data);
		if (!last) {
			return null;
		}
		String message = this.partial.toString();
		this.partial.setLength(0);
		return message;
	}

}
