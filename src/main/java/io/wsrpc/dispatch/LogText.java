package io.wsrpc.dispatch;

/**
 * Client text made safe for a log line, so that no client can forge a line or flood one:
 * control characters written as Unicode escapes, and text past a limit cut off.
 */
public final class LogText {

	private LogText() {
	}

	private static boolean hasControlCharacter(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (Character.isISOControl(text.charAt(i))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Makes client text safe for one log line: control characters escaped, and text past
	 * 100 characters cut off.
	 * @param text any text a client sent
	 * @return the text, escaped and capped
	 */
	public static String printable(String text) {
		return printable(text, 100);
	}

	/**
	 * Makes client text safe for one log line: control characters written as Unicode
	 * escapes, and text past the limit cut off with {@code ...}.
	 * @param text any text a client sent
	 * @param limit the most characters of the text to keep
	 * @return the text, escaped and capped
	 */
	public static String printable(String text, int limit) {
		if (text.length() <= limit && !hasControlCharacter(text)) {
			return text;
		}
		String capped = (text.length() > limit) ? text.substring(0, limit) + "..." : text;
		StringBuilder safe = new StringBuilder(capped.length());
		for (int i = 0; i < capped.length(); i++) {
			char c = capped.charAt(i);
			if (Character.isISOControl(c)) {
				safe.append(String.format("\\u%04x", (int) c));
			}
			else {
				safe.append(c);
			}
		}
		return safe.toString();
	}

}
